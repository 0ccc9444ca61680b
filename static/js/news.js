/* News pages: print and copy buttons, the editor's small toolbar, "select all" in the
   moderation queue. Everything here only enhances pages that work without it. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var label = button.textContent;
        button.textContent = button.getAttribute("data-copied-label");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });

  /* Editor toolbar: wraps the selected text of the body textarea in an allowed tag. */
  document.querySelectorAll("[data-editor-toolbar]").forEach(function (toolbar) {
    var area = document.getElementById(toolbar.getAttribute("data-editor-toolbar"));
    if (!area) { return; }
    toolbar.classList.remove("d-none");

    function replaceSelection(before, after, fallback) {
      var start = area.selectionStart, end = area.selectionEnd;
      var chosen = area.value.slice(start, end) || fallback || "";
      area.setRangeText(before + chosen + after, start, end, "end");
      area.focus();
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.hasAttribute("data-wrap")) {
        var tag = button.getAttribute("data-wrap");
        var dir = button.getAttribute("data-dir");
        replaceSelection("<" + tag + (dir ? ' dir="' + dir + '"' : "") + ">", "</" + tag + ">");
      } else if (button.hasAttribute("data-list")) {
        var start = area.selectionStart, end = area.selectionEnd;
        var lines = area.value.slice(start, end).split("\n").filter(function (line) { return line.trim(); });
        var items = lines.length ? lines : [""];
        var list = "<ul>\n" + items.map(function (line) { return "  <li>" + line.trim() + "</li>"; }).join("\n") + "\n</ul>";
        area.setRangeText(list, start, end, "end");
        area.focus();
      } else if (button.hasAttribute("data-link")) {
        var href = window.prompt(button.getAttribute("data-link-prompt"), "https://");
        if (href && /^(https?:|mailto:)/i.test(href.trim())) {
          replaceSelection('<a href="' + href.trim().replace(/"/g, "%22") + '">', "</a>");
        }
      }
    });
  });

  /* The Jalali date picker on the publish date, where the page loads it. */
  if (window.jalaliDatepicker) {
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoReadOnlyInput: false });
  }

  /* Moderation queue: a "select all" box, shown only when this script runs. */
  document.querySelectorAll("[data-bulk-form]").forEach(function (form) {
    var all = form.querySelector("[data-select-all]");
    var label = form.querySelector("[data-select-all-label]");
    if (!all) { return; }
    all.classList.remove("d-none");
    if (label) { label.classList.remove("d-none"); }
    all.addEventListener("change", function () {
      form.querySelectorAll('input[name="comments"]').forEach(function (box) { box.checked = all.checked; });
    });
  });
})();
