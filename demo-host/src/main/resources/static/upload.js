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
      } else {
        label.textContent = 'The upload failed (HTTP ' + request.status + '). Reload the page and try again.';
      }
    });
    request.addEventListener('error', function () {
      label.textContent = 'The connection dropped during the upload. Nothing was saved; try again.';
    });
    bar.hidden = false;
    form.querySelector('button[type=submit]').disabled = true;
    request.send(new FormData(form));
  });
});
