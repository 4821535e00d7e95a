from trappen.core import meetings as rules


def test_the_internal_meeting_lasts_one_hour_by_default():
    """Herningmodellen 1.0, "Interne tværfaglige møder": "Frekvens Hver 14. dag. Varighed
    1-1 ½ time" — an hour by default, the chair may make it longer."""
    assert rules.INTERNAL_MINUTES == 60
    assert rules.RESOURCE_CENTRE_MINUTES == 90  # "månedlige møder af 1½ times varighed"
