from seemix.core.models import AuditEntry


def test_an_account_change_in_the_admin_writes_an_audit_row(client, platform_admin, make_user):
    # given
    user = make_user("RS", "reporter")
    client.force_login(platform_admin)
    before = AuditEntry.objects.filter(action="user.changed").count()
    # when
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": user.username,
            "email": "new@example.org",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    entries = AuditEntry.objects.filter(action="user.changed")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor == platform_admin
    assert entry.object_id == str(user.pk)


def test_accounts_cannot_be_deleted_in_the_admin(client, platform_admin, make_user):
    user = make_user("RS", "reporter")
    client.force_login(platform_admin)
    response = client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(user).objects.filter(pk=user.pk).exists()
