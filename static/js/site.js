// The two behaviours of Bootstrap's JavaScript the site uses, without the other 80 KB of its
// bundle: a button with data-bs-toggle="collapse" opens and closes its data-bs-target (the menu
// on a phone, the filters above staff lists), and data-bs-dismiss="alert" closes a message.
// tests/portal/test_static_assets.py fails when a template asks for any other Bootstrap plugin.
(function () {
  "use strict";

  function toggle(trigger) {
    var selector = trigger.getAttribute("data-bs-target") || trigger.getAttribute("href");
    if (!selector) {
      return;
    }
    var open = false;
    document.querySelectorAll(selector).forEach(function (target) {
      open = target.classList.toggle("show");
    });
    // Every button for the same panel says whether it is open, as Bootstrap's own would.
    document.querySelectorAll('[data-bs-toggle="collapse"]').forEach(function (button) {
      var same = (button.getAttribute("data-bs-target") || button.getAttribute("href")) === selector;
      if (same) {
        button.setAttribute("aria-expanded", String(open));
        button.classList.toggle("collapsed", !open);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest('[data-bs-toggle="collapse"]');
    if (trigger) {
      event.preventDefault();
      toggle(trigger);
      return;
    }
    var dismiss = event.target.closest('[data-bs-dismiss="alert"]');
    var message = dismiss && dismiss.closest(".alert");
    if (message) {
      message.remove();
    }
  });
})();
