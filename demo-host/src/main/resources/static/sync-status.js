// While a drive syncs, the page shows how far it got: it reads the same page again every second, copies over the
// elements marked data-live (by id), and reloads once no sync is running, so the new list shows. Elements marked
// data-running="true" say a sync is running. Without JavaScript, reload by hand.
(function () {
  function running(doc) {
    return doc.querySelector('[data-running="true"]') !== null;
  }
  if (!running(document)) {
    return;
  }
  function poll() {
    fetch(window.location.href, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, 'text/html');
        if (!running(next)) {
          window.location.reload();
          return;
        }
        document.querySelectorAll('[data-live]').forEach(function (here) {
          var there = next.getElementById(here.id);
          if (there) {
            here.textContent = there.textContent;
          }
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
