"""F6 point 4: administration without a side door.

A staff administrator (is_staff with every model permission, not a superuser) configures; it
cannot give anyone (itself included) a profession, a team, the staff or superuser flag, groups
or permissions, cannot set a caseworker's password, and cannot create or delete accounts. A
superuser can, but not on its own account. Every account change is in the audit log, by field
name, never a value.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from trappen.audit.models import AuditEntry
from trappen.organisation.models import Profession, User

ACCOUNT = "account"  # AuditAction.ACCOUNT


@pytest.fixture
def staff_admin(org):
    admin = org.user("adam", Profession.ADMINISTRATOR, None)
    admin.is_staff = True
    admin.save()
    admin.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=admin.pk)  # fresh: the permission cache is empty


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x")


def change_url(user):
    return reverse("admin:organisation_user_change", args=[user.pk])


def form_data(user, **changes):
    """What the user change page posts: every editable field as it stands, then `changes`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "profession": user.profession,
        "team": user.team_id or "",
        "groups": [g.pk for g in user.groups.all()],
        "user_permissions": [p.pk for p in user.user_permissions.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **changes,
    }
    return {k: v for k, v in data.items() if v not in ("", None)}


def account_entries(user):
    return list(
        AuditEntry.objects.filter(action=ACCOUNT, object_pk=str(user.pk)).order_by("sequence")
    )


def test_staff_admin_cannot_give_itself_a_team(org, staff_admin):
    client = org.client(staff_admin)
    data = form_data(staff_admin, profession=Profession.CASEWORKER, team=org.north.pk)
    client.post(change_url(staff_admin), data)
    staff_admin.refresh_from_db()
    assert staff_admin.profession == Profession.ADMINISTRATOR
    assert staff_admin.team is None
    # The page shows the fields, read-only.
    page = client.get(change_url(staff_admin))
    assert page.status_code == 200
    assert 'name="team"' not in page.content.decode()
    assert 'name="profession"' not in page.content.decode()


def test_staff_admin_cannot_give_another_user_a_team_or_profession(org, staff_admin):
    client = org.client(staff_admin)
    client.post(change_url(org.analyst), form_data(org.analyst, team=org.north.pk))
    client.post(
        change_url(org.cw1), form_data(org.cw1, profession=Profession.TEAM_LEADER, is_staff="on")
    )
    org.analyst.refresh_from_db()
    org.cw1.refresh_from_db()
    assert org.analyst.team is None
    assert (org.cw1.profession, org.cw1.is_staff) == (Profession.CASEWORKER, False)


def test_staff_admin_cannot_tick_own_superuser(org, staff_admin):
    client = org.client(staff_admin)
    client.post(change_url(staff_admin), form_data(staff_admin, is_superuser="on"))
    staff_admin.refresh_from_db()
    assert not staff_admin.is_superuser
    assert 'name="is_superuser"' not in client.get(change_url(staff_admin)).content.decode()


def test_staff_admin_cannot_give_itself_groups_or_permissions(org, staff_admin):
    group = Group.objects.create(name="Alt")
    client = org.client(staff_admin)
    staff_admin.user_permissions.clear()
    staff_admin.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user", "change_group"])
    )
    perms = list(Permission.objects.values_list("pk", flat=True))
    client.post(
        change_url(staff_admin),
        form_data(staff_admin, groups=[group.pk], user_permissions=perms),
    )
    assert staff_admin.groups.count() == 0
    assert staff_admin.user_permissions.count() == 3
    # Nor through a group's permissions.
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Alt", "permissions": perms},
    )
    assert response.status_code == 403
    assert group.permissions.count() == 0


def test_staff_admin_cannot_reset_caseworker_password(org, staff_admin):
    client = org.client(staff_admin)
    url = reverse("admin:auth_user_password_change", args=[org.cw1.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "Ny-hemmelig-kode-42", "password2": "Ny-hemmelig-kode-42"}
    )
    assert response.status_code == 403
    org.cw1.refresh_from_db()
    assert not org.cw1.check_password("Ny-hemmelig-kode-42")


def test_staff_admin_cannot_create_or_delete_accounts(org, staff_admin):
    client = org.client(staff_admin)
    assert client.get(reverse("admin:organisation_user_add")).status_code == 403
    response = client.post(
        reverse("admin:organisation_user_add"),
        {
            "username": "bagdoer",
            "usable_password": "true",
            "password1": "Ny-hemmelig-kode-42",
            "password2": "Ny-hemmelig-kode-42",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="bagdoer").exists()
    delete = reverse("admin:organisation_user_delete", args=[org.cw2.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=org.cw2.pk).exists()


def test_staff_admin_still_edits_names_and_deactivates(org, staff_admin):
    client = org.client(staff_admin)
    response = client.post(change_url(org.cw2), form_data(org.cw2, last_name="Nyt", is_active=""))
    assert response.status_code == 302
    org.cw2.refresh_from_db()
    assert (org.cw2.last_name, org.cw2.is_active) == ("Nyt", False)


def test_superuser_changes_privileges_of_others_but_not_its_own(org, superuser):
    client = org.client(superuser)
    response = client.post(
        change_url(org.analyst),
        form_data(org.analyst, profession=Profession.CASEWORKER, team=org.north.pk),
    )
    assert response.status_code == 302
    org.analyst.refresh_from_db()
    assert (org.analyst.profession, org.analyst.team) == (Profession.CASEWORKER, org.north)
    # Its own account: the privilege fields are read-only.
    client.post(change_url(superuser), form_data(superuser, team=org.north.pk, is_superuser=""))
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.team is None
    url = reverse("admin:auth_user_password_change", args=[org.cw1.pk])
    assert client.get(url).status_code == 200


def test_account_changes_are_in_the_audit_log(org, superuser):
    client = org.client(superuser)
    client.post(
        change_url(org.analyst),
        form_data(org.analyst, profession=Profession.CASEWORKER, team=org.north.pk),
    )
    entries = [e for e in account_entries(org.analyst) if e.detail["change"] == "changed"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == superuser
    assert sorted(entry.detail["fields"]) == ["profession", "team"]
    password = "Ny-hemmelig-kode-42"
    client.post(
        reverse("admin:auth_user_password_change", args=[org.cw1.pk]),
        {"usable_password": "true", "password1": password, "password2": password},
    )
    org.cw1.refresh_from_db()
    assert org.cw1.check_password(password)
    entry = account_entries(org.cw1)[-1]
    assert entry.detail["fields"] == ["password"]
    # Never a value: no password, no hash, no profession code.
    text = str([e.detail for e in AuditEntry.objects.filter(action=ACCOUNT)])
    assert password not in text and org.cw1.password not in text
    assert Profession.CASEWORKER.value not in text


def test_account_creation_deletion_and_group_changes_are_audited(org, superuser):
    client = org.client(superuser)
    client.post(
        reverse("admin:organisation_user_add"),
        {
            "username": "ny",
            "usable_password": "true",
            "password1": "Ny-hemmelig-kode-42",
            "password2": "Ny-hemmelig-kode-42",
        },
    )
    new = User.objects.get(username="ny")
    assert account_entries(new)[0].detail["change"] == "created"
    group = Group.objects.create(name="Konfiguration")
    client.post(change_url(new), form_data(new, groups=[group.pk]))
    assert account_entries(new)[-1].detail["fields"] == ["groups"]
    pk = new.pk
    client.post(reverse("admin:organisation_user_delete", args=[pk]), {"post": "yes"})
    assert not User.objects.filter(pk=pk).exists()
    last = AuditEntry.objects.filter(action=ACCOUNT, object_pk=str(pk)).order_by("sequence").last()
    assert last.detail["change"] == "deleted"


def test_privilege_changes_outside_the_admin_are_audited_too(org):
    """The shell, a command, a migration: the model's signal writes the entry."""
    org.cw2.team = org.south
    org.cw2.is_superuser = True
    org.cw2.save()
    assert sorted(account_entries(org.cw2)[-1].detail["fields"]) == ["is_superuser", "team"]
    org.cw2.set_password("Ny-hemmelig-kode-42")
    org.cw2.save()
    assert account_entries(org.cw2)[-1].detail["fields"] == ["password"]


def test_a_login_is_not_an_account_change(org):
    from django.test import Client

    from tests.conftest import PASSWORD

    before = len(account_entries(org.cw1))
    assert Client().login(username="anna", password=PASSWORD)
    assert len(account_entries(org.cw1)) == before


def test_no_admin_model_shows_case_content_to_a_staff_admin(org, staff_admin):
    """Every model in the admin whose rows hang on a child is the superuser's alone."""
    from django.contrib import admin

    from trappen.privacy.retention import child_data_models

    client = org.client(staff_admin)
    case_data = set(child_data_models())
    for model in admin.site._registry:
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        status = client.get(url).status_code
        if label in case_data:
            assert status == 403, label


def test_superusers_complaint_list_is_audited(org, superuser):
    """The complaint rows name a child: the superuser's list and page are reads of each."""
    from datetime import date

    from trappen.audit.models import AuditAction
    from trappen.cases.models import Complaint

    case = org.case()
    complaint = Complaint.objects.create(
        child=case.child, team=case.team, received_on=date(2025, 3, 1), case=case
    )
    client = org.client(superuser)
    assert client.get(reverse("admin:cases_complaint_changelist")).status_code == 200
    reads = AuditEntry.objects.filter(action=AuditAction.READ, actor=superuser)
    assert list(reads.values_list("object_type", "object_pk", "child_pk")) == [
        ("cases.complaint", str(complaint.pk), case.child_id)
    ]
    client.get(reverse("admin:cases_complaint_change", args=[complaint.pk]))
    assert reads.count() == 2


def test_moving_a_district_to_another_team_is_audited(org, staff_admin):
    """Which team serves a district decides who sees its children: the change is logged."""
    from trappen.audit.models import AuditAction

    client = org.client(staff_admin)
    url = reverse("admin:organisation_district_change", args=[org.d_north.pk])
    data = {
        "municipality": org.municipality.pk,
        "name": org.d_north.name,
        "team": org.south.pk,
        "group": org.d_north.group_id,
    }
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(
        action=AuditAction.UPDATE, object_type="organisation.district"
    ).get()
    assert entry.detail == {"fields": ["team"]} and entry.actor == staff_admin


def test_staff_admin_cannot_change_a_superusers_account(org, staff_admin, superuser):
    client = org.client(staff_admin)
    assert client.get(change_url(superuser)).status_code == 200  # it may look
    client.post(change_url(superuser), form_data(superuser, is_active="", last_name="X"))
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.last_name != "X"


def test_a_groups_permissions_changed_by_the_superuser_are_audited(org, superuser):
    group = Group.objects.create(name="Konfiguration")
    perm = Permission.objects.get(codename="change_district")
    response = org.client(superuser).post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Konfiguration", "permissions": [perm.pk]},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=ACCOUNT, object_type="auth.group")
    assert entry.detail == {"change": "changed", "fields": ["permissions"]}
