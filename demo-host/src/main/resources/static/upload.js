// Uploads into a folder, each file with its own progress bar: files chosen in the form, or dropped on the folder's
// card. Each file goes in a request of its own (XMLHttpRequest reports how much has gone), one after another, and
// when all are done the page goes where the server's last answer points, where it says what became of each.
// Without JavaScript the form posts every chosen file at once, as usual.
(function () {
  var form = document.querySelector('form[data-uploads]');
  if (!form) {
    return;
  }
  var list = document.getElementById(form.dataset.uploads);
  var button = form.querySelector('button[type=submit]');
  var csrf = form.querySelector('input[name=_csrf]');

  function row(file) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'upload-name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = Math.max(file.size, 1);
    bar.value = 0;
    var label = document.createElement('span');
    label.className = 'meta';
    label.textContent = 'Waiting';
    item.append(name, bar, label);
    list.append(item);
    return {bar: bar, label: label, item: item};
  }

  function send(file, shown) {
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append('_csrf', csrf.value);
      data.append('file', file, file.name);
      // the file's own modified time, so the drive shows the document's date rather than the upload's
      data.append('modified', String(file.lastModified));
      var request = new XMLHttpRequest();
      request.open('POST', form.action);
      request.setRequestHeader('X-Docbridge-Navigate', 'script');
      request.upload.addEventListener('progress', function (e) {
        if (e.lengthComputable) {
          shown.bar.max = e.total;
          shown.bar.value = e.loaded;
          shown.label.textContent = Math.floor(100 * e.loaded / e.total) + ' % sent';
        }
      });
      request.upload.addEventListener('load', function () {
        shown.bar.removeAttribute('value'); // the host now sends it on: a moving bar until the drive answers
        shown.label.textContent = 'Sent; saving in the drive…';
      });
      request.addEventListener('load', function () {
        var next = request.getResponseHeader('X-Docbridge-Location');
        if (request.status === 204 && next) {
          shown.bar.max = 1;
          shown.bar.value = 1;
          shown.label.textContent = 'Done';
          resolve(next);
          return;
        }
        // The server explains a refusal on a page of its own (File too large, This form has expired): say the same.
        var page = new DOMParser().parseFromString(request.responseText || '', 'text/html');
        var heading = page.querySelector('main h1');
        var reason = page.querySelector('main .lead');
        shown.label.textContent = heading && reason ? heading.textContent + ': ' + reason.textContent
            : 'The upload failed (HTTP ' + request.status + '). Reload the page and try again.';
        shown.item.className = 'failed';
        resolve(null);
      });
      request.addEventListener('error', function () {
        shown.label.textContent = 'The connection dropped during the upload. This file was not saved; try again.';
        shown.item.className = 'failed';
        resolve(null);
      });
      shown.label.textContent = 'Starting';
      request.send(data);
    });
  }

  function upload(files) {
    if (!files.length) {
      return;
    }
    button.disabled = true;
    var rows = files.map(row);
    var next = null;
    var failed = false;
    files.reduce(function (previous, file, i) {
      return previous.then(function () {
        return send(file, rows[i]).then(function (location) {
          next = location || next;
          failed = failed || !location;
        });
      });
    }, Promise.resolve()).then(function () {
      button.disabled = false;
      if (next && !failed) {
        window.location.assign(next);
      } else if (next) {
        var see = document.createElement('li');
        var link = document.createElement('a');
        link.href = next;
        link.textContent = 'Show the folder with what was uploaded';
        see.append(link);
        list.append(see);
      }
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    upload(Array.prototype.slice.call(form.querySelector('input[type=file]').files));
  });

  var zone = document.querySelector('[data-upload-form="' + form.id + '"]');
  if (zone) {
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0) {
          event.preventDefault();
          zone.classList.add('dragging');
        }
      });
    });
    zone.addEventListener('dragleave', function (event) {
      if (!zone.contains(event.relatedTarget)) {
        zone.classList.remove('dragging');
      }
    });
    zone.addEventListener('drop', function (event) {
      event.preventDefault();
      zone.classList.remove('dragging');
      upload(Array.prototype.slice.call(event.dataTransfer.files));
    });
  }
})();
