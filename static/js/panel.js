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
