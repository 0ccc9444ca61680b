/* Exhibition staff panel: the Jalali date picker on date fields (inputs with data-jdp). */
(function () {
  "use strict";
  if (window.jalaliDatepicker) {
    window.jalaliDatepicker.startWatch({ persianDigits: true, autoReadOnlyInput: false });
  }
})();
