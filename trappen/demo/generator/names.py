"""Fictitious names of children, adults, districts and teams."""


# --- Fictitious names ---------------------------------------------------------------------------

GIRLS = [
    "Alma", "Ella", "Freja", "Ida", "Karla", "Clara", "Sofia", "Emma", "Agnes", "Olivia",
    "Liva", "Nora", "Ellen", "Josefine", "Lærke", "Signe", "Asta", "Mathilde", "Vigga", "Luna",
    "Anna", "Esther", "Filippa", "Marie", "Saga", "Silje", "Astrid", "Maja", "Lily", "Frida",
]  # fmt: skip
BOYS = [
    "William", "Noah", "Oscar", "Lucas", "Carl", "Alfred", "Emil", "Aksel", "Valdemar", "Oliver",
    "Magnus", "Arthur", "Malthe", "August", "Elias", "Viggo", "Frederik", "Victor", "Anton",
    "Johan", "Storm", "Theo", "Mikkel", "Felix", "Villads", "Bertram", "Mads", "Sebastian",
    "Konrad", "Hugo",
]  # fmt: skip
ADULTS = [
    "Mette", "Hanne", "Lone", "Susanne", "Charlotte", "Louise", "Camilla", "Tina", "Pia", "Line",
    "Jens", "Lars", "Søren", "Henrik", "Thomas", "Morten", "Anders", "Jesper", "Rasmus", "Kim",
]  # fmt: skip
LAST_NAMES = [
    "Demosen", "Prøvegaard", "Eksempelsen", "Fiktivsen", "Testrup", "Opdigtholm", "Modelsen",
    "Skitsegaard", "Udkastsen", "Attrapsen", "Prøvelund", "Demobjerg", "Eksempelgaard",
    "Fiktivholm", "Pseudonymsen", "Stikprøvesen", "Prototypsen", "Kladdegaard", "Øvelund",
    "Afprøvsen",
]  # fmt: skip

PILOT_DISTRICTS = ["Lyngtoftevang", "Skovhøjlund", "Engbakkely", "Bækkelundhøj"]
OTHER_DISTRICTS = [
    "Granlundvang", "Møllerupdal", "Hedebyhøj", "Søndervangkær", "Kirkeholmtoft",
    "Østermarklund", "Birkedalsvang", "Rønnebakkely",
]  # fmt: skip
TEAM_NAMES = [
    "Distriktsteam Lyng-Skov",
    "Distriktsteam Eng-Bæk",
    "Distriktsteam Gran-Mølle",
    "Distriktsteam Hede-Sønder",
    "Distriktsteam Kirke-Øster",
    "Distriktsteam Birk-Rønne",
]
