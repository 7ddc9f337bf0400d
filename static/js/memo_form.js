// The draft form (templates/memos/memo_form.html): "add" buttons append a formset row by
// cloning the last one with the next index (Django's formset convention).
(function () {
  "use strict";
  document.querySelectorAll("[data-add]").forEach((button) => {
    button.addEventListener("click", () => {
      const key = button.dataset.add, prefix = {sections: "s", proposals: "p", route: "r"}[key];
      const rows = document.getElementById(key + "-rows"), total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      const last = rows.lastElementChild, index = parseInt(total.value, 10);
      const clone = last.cloneNode(true);
      clone.innerHTML = clone.innerHTML.replace(new RegExp(prefix + "-(\\d+)-", "g"), prefix + "-" + index + "-");
      clone.querySelectorAll("input[type=text], textarea").forEach((el) => { el.value = ""; });
      clone.querySelectorAll("input[type=checkbox]").forEach((el) => { el.checked = false; });
      clone.querySelectorAll("input[name$=ORDER]").forEach((el) => { el.value = index + 1; });
      rows.appendChild(clone);
      total.value = index + 1;
    });
  });
})();
