/* The comment form: reply to a comment in place, cancel the reply, get another captcha.
   Without this script the same works through links (?reply_to=<id>#comment-form) and a
   submit button that reloads the form with a new captcha, keeping what was typed. */
(function () {
  "use strict";

  var form = document.querySelector("[data-comment-form]");
  if (!form) { return; }
  var box = document.getElementById("comment-form");
  var banner = form.querySelector("[data-reply-banner]");
  var label = form.querySelector("[data-reply-label]");
  var parentInput = form.querySelector('input[name="parent"]');
  var textArea = form.querySelector('textarea[name="text"]');

  function showReply(id, text) {
    parentInput.value = id;
    label.textContent = text;
    banner.classList.remove("d-none");
    box.scrollIntoView({ behavior: "smooth", block: "start" });
    if (textArea) { textArea.focus({ preventScroll: true }); }
  }

  function cancelReply() {
    parentInput.value = "";
    label.textContent = "";
    banner.classList.add("d-none");
    var url = new URL(window.location.href);
    if (url.searchParams.has("reply_to")) {
      url.searchParams.delete("reply_to");
      window.history.replaceState(null, "", url.pathname + url.search + "#comment-form");
    }
  }

  document.querySelectorAll("[data-reply-to]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      showReply(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-label"));
      var url = new URL(window.location.href);
      url.searchParams.set("reply_to", link.getAttribute("data-reply-to"));
      url.searchParams.delete("sent");
      window.history.replaceState(null, "", url.pathname + url.search + "#comment-form");
    });
  });

  var cancel = form.querySelector("[data-reply-cancel]");
  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      cancelReply();
      if (textArea) { textArea.focus(); }
    });
  }

  /* Another captcha picture without reloading: the refresh view signs a new challenge. */
  var refresh = form.querySelector("[data-captcha-refresh]");
  if (refresh) {
    refresh.addEventListener("click", function (event) {
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("GET", refresh.getAttribute("data-captcha-refresh"));
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.responseType = "json";
      request.onload = function () {
        if (request.status !== 200 || !request.response) { return; }
        form.querySelector("[data-captcha-image]").src = request.response.image_url;
        form.querySelector('input[name="captcha_0"]').value = request.response.key;
        var answer = form.querySelector('input[name="captcha_1"]');
        answer.value = "";
        answer.focus();
      };
      request.send();
    });
  }
})();
