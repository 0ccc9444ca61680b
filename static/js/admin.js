// Jalali date picker on every admin date input rendered by JalaliDateField.
document.addEventListener("DOMContentLoaded", function () {
  if (window.jalaliDatepicker) {
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoReadOnlyInput: false });
  }

  // Django's actions.js rewrites «۰ از ۲۵ انتخاب شده» in Latin digits whenever a box is
  // ticked; the server wrote it in Persian, so it is put back into Persian after each change.
  var latin = /[0-9]/g;
  var persian = function (digit) { return "۰۱۲۳۴۵۶۷۸۹"[digit]; };
  document.querySelectorAll(".actions .action-counter, .actions .all").forEach(function (note) {
    var keepPersian = function () {
      var text = note.textContent;
      var shown = text.replace(latin, persian);
      if (shown !== text) note.textContent = shown;
    };
    new MutationObserver(keepPersian).observe(note, { childList: true, characterData: true, subtree: true });
    keepPersian(); // actions.js may have run first
  });
  // The small sorting-order numbers in the column heads of a list sorted by several columns.
  document.querySelectorAll("#result_list .sortpriority").forEach(function (priority) {
    priority.textContent = priority.textContent.replace(latin, persian);
  });
});
