"""Texts in Danish, as caseworkers write them, and the sources of notifications."""

from trappen.cases.models import (
    EarlyStep,
    JournalEntry,
)
from trappen.intake.models import Notification

# --- Texts (Danish, as caseworkers write them) --------------------------------------------------

CONCERNS = [
    "Barnet kommer ofte for sent og virker træt og uoplagt.",
    "Højt fravær i skolen det seneste halve år.",
    "Barnet har fortalt om voldsomme skænderier i hjemmet.",
    "Forælder virker påvirket ved afhentning.",
    "Barnet trækker sig fra kammerater og er meget stille.",
    "Bekymring for hygiejne og påklædning efter vejret.",
    "Barnet har blå mærker, som ikke forklares.",
    "Familien er udfordret efter skilsmisse; barnet er ked af det.",
    "Barnet udviser udadreagerende adfærd over for andre børn.",
    "Sundhedsplejen er bekymret for spædbarnets trivsel og vægt.",
    "Politiet har været tilkaldt til adressen efter uro.",
    "Den unge er set sammen med ældre unge i et kriminelt miljø.",
]
ASSESSMENTS = [
    "Ingen akut fare. Sagen drøftes i distriktsteamet.",
    "Vurderet: ikke akut. Forældrene kontaktes til samtale.",
    "Akut handling: barnet er set samme dag, og forældrene er indkaldt.",
    "Kendt familie; underretningen lægges til sagen.",
]
# What was done on the urgent path (F10 point 6 b), for the demo's older "Ja, akut".
URGENT_HANDLED = (
    "Barnet er set samme dag og bor hos mormor, til forældrene er hørt; aftalt med teamleder."
)
JOURNAL_TEXTS = {
    JournalEntry.Heading.NOTE: [
        "Status drøftet i distriktsteamet.",
        "Materiale fra skolen modtaget og gennemgået.",
        "Aftale om opfølgning om fire uger.",
    ],
    JournalEntry.Heading.PHONE: [
        "Telefonsamtale med mor om aftalerne.",
        "Opringning fra skolen: fraværet er faldet.",
        "Far ringede og spurgte til næste møde.",
    ],
    JournalEntry.Heading.MEETING: [
        "Netværksmøde med skole, forældre og PPR.",
        "Opfølgningsmøde med familiebehandleren.",
        "Møde med plejefamilien om samvær.",
    ],
    JournalEntry.Heading.CHILD_CONVERSATION: [
        "Børnesamtale på skolen. Barnet fortæller, at det er glad for sin lærer.",
        "Samtale med barnet alene. Barnet ønsker mere tid med far.",
        "Børnesamtale: barnet er bekymret for mor og sover dårligt.",
    ],
    JournalEntry.Heading.CHILD_HEARING: [
        "Høring af barnet inden afgørelse om foranstaltning. Barnets synspunkter er noteret.",
        "Den unge er hørt og er enig i planen.",
    ],
}
JOURNAL_WEIGHTS = {
    JournalEntry.Heading.NOTE: 35,
    JournalEntry.Heading.PHONE: 25,
    JournalEntry.Heading.MEETING: 20,
    JournalEntry.Heading.CHILD_CONVERSATION: 12,
    JournalEntry.Heading.CHILD_HEARING: 8,
}
EARLY_NOTES = {
    EarlyStep.Kind.NETWORK_MEETING: "Netværksmøde på skolen med forældrene.",
    EarlyStep.Kind.JOINT_HOME_VISIT: "Fælles hjemmebesøg med sundhedsplejersken.",
    EarlyStep.Kind.PSYCHOLOGIST_TALK: "Afklarende samtale med barnet og forældrene.",
    EarlyStep.Kind.NEEDS_VISIT: "Behovsbesøg; vægt og trivsel fulgt.",
    EarlyStep.Kind.EARLY_SUPPORT: "Kortvarig rådgivning af familien i Familiecentret.",
}
CONCLUSIONS_SUPPORT = [
    "Barnet har behov for støtte. Der iværksættes foranstaltning efter handleplanen.",
    "Undersøgelsen viser behov for støtte i og uden for hjemmet.",
]
CONCLUSIONS_NONE = [
    "Der er ikke behov for yderligere foranstaltninger. Sagen afsluttes efter opfølgning.",
    "Familien har selv ressourcer; tidlig støtte via skolen er tilstrækkelig.",
]
NETWORK = [
    ("Mor", "mor", "resource"),
    ("Far", "far", "resource"),
    ("Mormor", "bedstemor", "resource"),
    ("Farfar", "bedstefar", "resource"),
    ("Moster", "moster", "resource"),
    ("Klasselærer", "lærer", "resource"),
    ("Pædagog", "pædagog i institutionen", "resource"),
    ("Fodboldtræner", "fritid", "resource"),
    ("Mors kæreste", "stedforælder", "concern"),
    ("Ældre kammerater", "kammerater", "concern"),
    ("Nabo", "nabo", "resource"),
]
PURPOSES = [
    "Formålet er, at barnet trives i skolen og har stabile voksne omkring sig.",
    "Formålet er at styrke forældrenes omsorg, så barnet kan blive boende hjemme.",
    "Formålet er, at barnet får en tryg og stabil anbringelse med kontakt til familien.",
    "Formålet er, at den unge kommer i uddannelse og holder sig fra kriminalitet.",
]
GOALS = [
    ("Barnet kommer i skole hver dag.", "Forældrene og skolen", "Fravær under 5 % pr. måned."),
    ("Barnet har en fast voksen at tale med.", "Støttekontaktpersonen", "Ugentlige samtaler."),
    ("Familien har faste rutiner ved sengetid.", "Familiebehandleren", "Dagbog over ugen."),
    ("Barnet ser sin far hver anden weekend.", "Plejefamilien og far", "Samvær gennemført."),
    ("Den unge gennemfører 9. klasse.", "Den unge og efterskolen", "Afgangsprøve bestået."),
    ("Barnet deltager i en fritidsaktivitet.", "Mor og rådgiveren", "Fremmøde hver uge."),
]

SOURCES = [
    (Notification.Source.SCHOOL, 30),
    (Notification.Source.DAY_CARE, 15),
    (Notification.Source.HEALTH_VISITOR, 15),
    (Notification.Source.POLICE, 15),
    (Notification.Source.PARENT, 8),
    (Notification.Source.ANONYMOUS, 7),
    (Notification.Source.OTHER, 10),
]
