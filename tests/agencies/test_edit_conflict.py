"""Two people open the same record; the second save must not silently overwrite the first."""

from django.urls import reverse


def _edit(client, record, data):
    return client.post(reverse("agencies_panel:edit", args=[record.pk]), data)


def test_second_save_from_the_same_version_is_refused(
    client, program, people, emdad_record, form_data
):
    url = reverse("agencies_panel:edit", args=[emdad_record.pk])
    # Both open the form at version 1.
    client.force_login(people.staff)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    client.force_login(people.coordinator)
    assert 'name="version" value="1"' in client.get(url).content.decode()

    # Maryam (agency staff) saves first: 20 beneficiaries.
    client.force_login(people.staff)
    first = _edit(client, emdad_record, form_data(program.emdad_semnan, program.visit, version=1))
    assert first.status_code == 302

    # The coordinator saves from version 1 with other numbers and a note.
    client.force_login(people.coordinator)
    theirs = form_data(
        program.emdad_semnan,
        program.visit,
        version=1,
        beneficiaries="۱۰",
        male="۵",
        female="۵",
        children="۳",
        adults="۵",
        elderly="۲",
        households="۲",
        disabled="۰",
        notes="نوشتهٔ هماهنگ‌کننده",
    )
    second = _edit(client, emdad_record, theirs)
    assert second.status_code == 200
    (message,) = [str(m) for m in second.context["messages"] if str(m).startswith("ذخیره نشد")]
    assert "«مریم احمدی»" in message
    assert "تعداد ذی‌نفعان: از «۱۰» به «۲۰»" in message
    assert "هزینه (ریال): از «۵٬۰۰۰٬۰۰۰ ریال» به «۱۲٬۵۰۰٬۰۰۰ ریال»" in message

    # The record keeps the first save; nothing of the second one got in.
    emdad_record.refresh_from_db()
    assert (emdad_record.beneficiaries, emdad_record.version) == (20, 2)
    assert emdad_record.notes == "ویزیت رایگان در حسینیهٔ محل"
    assert emdad_record.history.count() == 2

    # The form comes back with what the coordinator typed, now at the current version.
    html = second.content.decode()
    assert "نوشتهٔ هماهنگ‌کننده" in html
    assert 'name="beneficiaries" value="۱۰"' in html
    assert 'name="version" value="2"' in html


def test_saving_again_after_reading_the_conflict_goes_through(
    client, program, people, emdad_record, form_data
):
    client.force_login(people.staff)
    _edit(client, emdad_record, form_data(program.emdad_semnan, program.visit, version=1))
    client.force_login(people.coordinator)
    mine = form_data(program.emdad_semnan, program.visit, version=1, notes="تصحیح")
    assert _edit(client, emdad_record, mine).status_code == 200
    again = _edit(client, emdad_record, mine | {"version": "2"})
    assert again.status_code == 302
    emdad_record.refresh_from_db()
    assert (emdad_record.notes, emdad_record.version) == ("تصحیح", 3)
    assert emdad_record.history.latest().history_user == people.coordinator


def test_save_after_the_record_was_deleted_is_refused(
    client, program, people, emdad_record, form_data
):
    client.force_login(people.staff)
    url = reverse("agencies_panel:edit", args=[emdad_record.pk])
    client.get(url)
    client.force_login(people.coordinator)
    client.post(reverse("agencies_panel:delete", args=[emdad_record.pk]))
    client.force_login(people.staff)
    response = _edit(
        client, emdad_record, form_data(program.emdad_semnan, program.visit, version=1)
    )
    # A deleted record has no edit page any more.
    assert response.status_code == 404
    emdad_record.refresh_from_db()
    assert emdad_record.beneficiaries == 10
