/* Staff panel for service records: the Jalali date picker, and neighbourhood choices narrowed
   to the chosen city in the records filter. Loaded with `defer`, so the page is parsed. */
(function () {
  "use strict";

  function startDatePicker() {
    if (!window.jalaliDatepicker) {
      return;
    }
    // Inputs carry data-jdp (portal/forms.py JalaliDateInput); the record form adds
    // data-jdp-min-date / data-jdp-max-date so the picker offers only allowed days.
    window.jalaliDatepicker.startWatch({
      minDate: "attr",
      maxDate: "attr",
      time: false,
      persianDigits: true,
      autoReadOnlyInput: false,
      showTodayBtn: true,
      showEmptyBtn: true,
      showCloseBtn: true,
      zIndex: 1060
    });
    // On a phone the picker covers the form: once the clerk moves on to another field (or
    // taps a button), it closes, so it can never sit over the Save button. The picker shows
    // itself once more 300 ms after it opens, so a quick move is answered twice.
    function isPickerPart(element) {
      return Boolean(
        element && element.hasAttribute &&
        (element.hasAttribute("data-jdp") || (element.closest && element.closest("jdp-container")))
      );
    }
    document.addEventListener("focusin", function (event) {
      if (isPickerPart(event.target)) {
        return;
      }
      window.jalaliDatepicker.hide();
      window.setTimeout(function () {
        if (!isPickerPart(document.activeElement)) {
          window.jalaliDatepicker.hide();
        }
      }, 350);
    });
  }

  function narrowNeighbourhoods() {
    var city = document.getElementById("id_city");
    var neighbourhood = document.getElementById("id_neighbourhood");
    if (!city || !neighbourhood) {
      return;
    }
    function apply() {
      Array.prototype.forEach.call(neighbourhood.options, function (option) {
        if (!option.value) {
          return;
        }
        var elsewhere = city.value !== "" && option.getAttribute("data-city") !== city.value;
        option.hidden = elsewhere;
        option.disabled = elsewhere;
      });
      var chosen = neighbourhood.options[neighbourhood.selectedIndex];
      if (chosen && chosen.disabled) {
        neighbourhood.value = "";
      }
    }
    city.addEventListener("change", apply);
    apply();
  }

  startDatePicker();
  narrowNeighbourhoods();
})();
