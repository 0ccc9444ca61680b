// The account form: show the agency only for the roles tied to one agency, and the cities only
// for agency staff. Hidden fields are disabled too, so what is not shown is not sent; without
// this script every field shows and the server says which ones to leave empty.
document.addEventListener("DOMContentLoaded", function () {
  var role = document.getElementById("id_role");
  var agency = document.getElementById("id_agency");
  if (!role || !agency || role.disabled) {
    return;
  }
  var AGENCY_ROLES = ["agency_staff", "agency_supervisor"];
  var agencyBox = document.getElementById("div_id_agency");
  var citiesBox = document.getElementById("div_id_cities");

  function toggle(box, shown) {
    if (!box) {
      return;
    }
    box.classList.toggle("is-hidden", !shown);
    box.querySelectorAll("input, select").forEach(function (input) {
      input.disabled = !shown;
    });
  }

  function update() {
    toggle(agencyBox, AGENCY_ROLES.indexOf(role.value) !== -1);
    toggle(citiesBox, role.value === "agency_staff");
  }

  role.addEventListener("change", update);
  update();
});
