// The decision page (templates/memos/task_decide.html): refreshes the preview from the server
// as the choices change. Nothing here words the decision: the server returns the fragment to
// show (workflow/preview_views.py).
(function () {
  "use strict";
  const form = document.getElementById("task-form");
  const preview = document.getElementById("decision-preview");
  if (!form || !preview) return;
  let timer = null;
  let pending = null;
  let shown = null;
  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(preview.dataset.url, {method: "POST", body: new FormData(form), credentials: "same-origin", signal: pending.signal})
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        // Only a changed text is put in place, so the live region announces changes only.
        if (data.html !== shown) { preview.innerHTML = data.html; shown = data.html; }
      })
      .catch(() => {});  // a lost request leaves the last preview; the decision is worded on submit anyway
  }
  function later() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
