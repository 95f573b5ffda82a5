/*
 * optimizers-course-rise-widgets: a hand-written module-federation container (no build step).
 *
 * Why: jupyterlab-rise (0.43.1) shows slides in a second app built on JupyterLab 4.3 that does
 * not share @jupyterlab/console. The ipywidgets manager (jupyterlab_widgets 3.x) consumes that
 * package, only for its optional IConsoleTracker token, so the manager fails to load there and
 * widgets show as plain text (jupyterlab-contrib/rise issues 119 and 126).
 *
 * What: when a page initialises the shared scope, and only if no @jupyterlab/console is shared
 * (JupyterLab itself always shares the real one), this offers a stand-in module whose only export
 * is an IConsoleTracker token. Nobody in the slideshow app provides that token, so the widget
 * manager gets "no console tracker" (null), exactly as an optional dependency allows.
 */
(function () {
  "use strict";
  var NAME = "optimizers-course-rise-widgets";
  var KEY = "@jupyterlab/console";
  var TOKEN = "@jupyterlab/console:IConsoleTracker";

  function newestKey(versions) {
    // The highest "major.minor.patch" version offered in one entry of a shared scope.
    var keys = Object.keys(versions || {});
    keys.sort(function (a, b) {
      var x = a.split(/[.-]/), y = b.split(/[.-]/);
      for (var i = 0; i < 3; i++) {
        var d = (parseInt(x[i], 10) || 0) - (parseInt(y[i], 10) || 0);
        if (d) { return d; }
      }
      return 0;
    });
    return keys.length ? keys[keys.length - 1] : null;
  }

  function stand_in(scope) {
    var version = newestKey(scope["@lumino/coreutils"]);
    if (!version) {
      return Promise.reject(new Error(NAME + ": @lumino/coreutils is not shared"));
    }
    var coreutils = scope["@lumino/coreutils"][version];
    coreutils.loaded = 1;
    return Promise.resolve(coreutils.get()).then(function (factory) {
      var Token = factory().Token;
      var exports = { IConsoleTracker: new Token(TOKEN, "Not available in the slideshow.") };
      return function () { return exports; };
    });
  }

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (scope) {
      if (!scope || scope[KEY]) { return; }  // JupyterLab: the real package is shared already
      // Offered as the version of the app's own JupyterLab packages (4.3.4 in the slideshow).
      var version = newestKey(scope["@jupyterlab/notebook"]) || "4.0.0";
      scope[KEY] = {};
      scope[KEY][version] = {
        from: NAME,
        eager: false,
        get: function () { return stand_in(scope); }
      };
    },
    get: function (module) {
      return Promise.reject(new Error(NAME + " exposes no module (asked for " + module + ")"));
    }
  };
})();
