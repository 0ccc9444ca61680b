/* The Jalali date picker writes Latin digits (1405/09/12) into fields that the site shows in
   Persian digits everywhere else. Every pick is written back in Persian digits. The picker also
   reads the field, to open on its day, and understands Latin digits only: so when a date field
   gets focus (in the capture phase, ahead of the picker's own listener), its value is given
   Latin digits for the picker to read and Persian ones again right after. The server reads
   either (core/digits.py). */
(function () {
  "use strict";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";

  function toPersian(text) {
    return text.replace(/[0-9]/g, function (digit) { return PERSIAN[digit]; });
  }

  function toLatin(text) {
    return text
      .replace(/[۰-۹]/g, function (digit) { return String(PERSIAN.indexOf(digit)); })
      .replace(/[٠-٩]/g, function (digit) { return String(digit.charCodeAt(0) - 0x660); });
  }

  function isDateField(element) {
    return Boolean(element && element.matches && element.matches("input[data-jdp]"));
  }

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!isDateField(input)) {
      return;
    }
    input.value = toLatin(input.value);
    window.setTimeout(function () { input.value = toPersian(input.value); }, 0);
  }, true);

  document.addEventListener("jdp:change", function (event) {
    if (isDateField(event.target)) {
      event.target.value = toPersian(event.target.value);
    }
  });
})();
