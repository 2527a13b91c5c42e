// Stand-ins for Adobe's identity code, for the demo page's Identity choice: NOT Adobe's
// VisitorAPI.js or alloy.js, which would ask Adobe's servers for a visitor id. Each one is only
// the small part of that code's API the plugin reads (src/identity.ts), and answers with a
// fixed demo ECID, so that the timeline shows where the sessionStart's ECID came from.
//
// window.demoIdentity.install(kind) puts one on the page: 'visitor-api' defines window.Visitor,
// 'web-sdk' a Web SDK instance named `alloy` in window.__alloyNS. app.js calls it before it
// sets up the plugin, as a site loads its identity code before the player.

(function () {
  'use strict';

  /** The fixed ECID (38 digits, as Adobe's) each stand-in gives. */
  var ECIDS = {
    'visitor-api': '24681357902468135790246813579024681357',
    'web-sdk': '13579246801357924680135792468013579246'
  };
  /** The Audience Manager location hint each gives (the Visitor API as a string, alloy as a number). */
  var REGION = 6;

  /** Visitor API: Visitor.getInstance(orgId).getVisitorValues(callback, fields), asynchronously. */
  function installVisitor() {
    var instances = {};
    function StandInVisitor(orgId) {
      this.marketingCloudOrgID = orgId;
    }
    StandInVisitor.prototype.getVisitorValues = function (callback, fields) {
      var all = { MCMID: ECIDS['visitor-api'], MCAAMLH: String(REGION) };
      var values = {};
      (fields || Object.keys(all)).forEach(function (field) {
        if (Object.prototype.hasOwnProperty.call(all, field)) values[field] = all[field];
      });
      // The real one answers later, once its id service answered (or from its cookie).
      setTimeout(function () {
        callback(values);
      }, 0);
    };
    StandInVisitor.prototype.getMarketingCloudVisitorID = function () {
      return ECIDS['visitor-api'];
    };
    // One authenticated customer id, as a site sets with setCustomerIDs after a login.
    StandInVisitor.prototype.getCustomerIDs = function () {
      return { demoCrm: { id: 'demo-user-1', authState: 1 } };
    };
    window.Visitor = {
      version: 'demo stand-in',
      getInstance: function (orgId) {
        if (!instances[orgId]) instances[orgId] = new StandInVisitor(orgId);
        return instances[orgId];
      }
    };
  }

  /** Web SDK: alloy('getIdentity', { namespaces: ['ECID'] }) resolves { identity: { ECID }, edge: { regionID } }. */
  function installWebSdk() {
    window.__alloyNS = ['alloy'];
    window.alloy = function (command) {
      if (command === 'getIdentity') {
        return Promise.resolve({ identity: { ECID: ECIDS['web-sdk'] }, edge: { regionID: REGION } });
      }
      return Promise.reject(new Error('The demo Web SDK stand-in answers getIdentity only, not ' + command));
    };
  }

  window.demoIdentity = {
    ECIDS: ECIDS,
    /** Puts the stand-in `kind` on the page; returns its ECID. */
    install: function (kind) {
      if (kind === 'visitor-api') installVisitor();
      else if (kind === 'web-sdk') installWebSdk();
      else throw new Error('No identity stand-in ' + kind);
      return ECIDS[kind];
    }
  };
})();
