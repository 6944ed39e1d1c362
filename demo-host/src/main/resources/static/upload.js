// Upload with a progress bar: forms marked data-progress send their file with XMLHttpRequest, which reports how
// much has gone, and then go where the server's answer points. Without JavaScript the form posts as usual.
document.querySelectorAll('form[data-progress]').forEach(function (form) {
  var bar = document.getElementById(form.dataset.progress);
  var label = document.getElementById(form.dataset.progress + '-label');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open('POST', form.action);
    request.setRequestHeader('X-Docbridge-Navigate', 'script');
    request.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        label.textContent = Math.floor(100 * e.loaded / e.total) + ' % sent';
      }
    });
    request.upload.addEventListener('load', function () {
      label.textContent = 'Sent; saving in the drive…';
    });
    request.addEventListener('load', function () {
      var next = request.getResponseHeader('X-Docbridge-Location');
      if (request.status === 204 && next) {
        window.location.assign(next);
        return;
      }
      // The server explains a refusal on a page of its own (File too large, This form has expired): say the same.
      var page = new DOMParser().parseFromString(request.responseText || '', 'text/html');
      var heading = page.querySelector('main h1');
      var reason = page.querySelector('main .lead');
      label.textContent = heading && reason ? heading.textContent + ': ' + reason.textContent
          : 'The upload failed (HTTP ' + request.status + '). Reload the page and try again.';
      bar.hidden = true;
      form.querySelector('button[type=submit]').disabled = false;
    });
    request.addEventListener('error', function () {
      label.textContent = 'The connection dropped during the upload. Nothing was saved; try again.';
    });
    bar.hidden = false;
    form.querySelector('button[type=submit]').disabled = true;
    request.send(new FormData(form));
  });
});
