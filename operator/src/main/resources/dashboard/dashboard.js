// kubectl cdds ui: a page's rows are fetched again whenever the server's watch sees an ExportJob
// change (server-sent events), so the page stays current without a reload; deletes ask first.
(function () {
  'use strict';
  var rows = document.getElementById('rows');
  if (rows && window.EventSource) {
    var fetching = false;
    var again = false;
    var refresh = function () {
      if (fetching) {
        again = true;
        return;
      }
      fetching = true;
      fetch(rows.dataset.rows, { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html !== null) {
            rows.innerHTML = html;
            document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
          }
        })
        .finally(function () {
          fetching = false;
          if (again) {
            again = false;
            refresh();
          }
        });
    };
    new EventSource('/events').addEventListener('change', refresh);
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
