// While a drive syncs, its page shows how far the sync got: it reads the same page again every second, copies the
// status line over, and reloads once the sync has finished so the new list shows. Without JavaScript, reload by hand.
(function () {
  var status = document.getElementById('sync-status');
  if (!status || status.dataset.running !== 'true') {
    return;
  }
  function poll() {
    fetch(window.location.href, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html').getElementById('sync-status');
        if (!next) {
          return;
        }
        if (next.dataset.running !== 'true') {
          window.location.reload();
          return;
        }
        status.textContent = next.textContent;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
