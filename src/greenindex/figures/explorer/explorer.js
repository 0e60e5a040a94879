// greenindex weight explorer: recomputes the index in the page (no server, no network).
// Formulas: greenindex.index.aggregate (weighted means over the children present),
// greenindex.analysis.claims (C1-C4 without the bootstrap); the controls are the multipliers
// of `weights.user` (w'_n = m_n w_n / sum over siblings of m_s w_s). See
// greenindex/figures/explorer.py for the definitions.
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  var T = D.text;
  var years = D.years, Y = years.length, N = D.units.length, P = D.indicators.length;
  var nodes = D.nodes, K = nodes.length, col = {};
  nodes.forEach(function (n, k) { col[n.id] = k; });
  var rootK = col[D.root];
  var nonroot = D.nonroot;
  var children = {};
  nodes.forEach(function (n) { if (n.parent != null) (children[n.parent] = children[n.parent] || []).push(n.id); });
  var aggLevels = [];  // [[parent ids of level 2], [level 3], ...]
  nodes.forEach(function (n) { if (n.level > 1) { (aggLevels[n.level - 2] = aggLevels[n.level - 2] || []).push(n.id); } });
  var dims = nodes.filter(function (n) { return n.level > 1 && n.id !== D.root; }).map(function (n) { return n.id; });
  var Z = new Float64Array(Y * N * P);
  for (var i = 0; i < Z.length; i++) { var v = D.z[i]; Z[i] = v === null ? NaN : v; }
  var yearIndex = {};
  years.forEach(function (y, t) { yearIndex[y] = t; });
  var winIdx = [];
  for (var y = D.window[0]; y <= D.window[1]; y++) winIdx.push(yearIndex[y]);
  var regionOf = D.units.map(function (u) { return u.region; });
  var regionCode = D.units.map(function (u) { return D.regions.indexOf(u.region); });
  var R = D.regions.length;

  function fmt(s, kw) { return s.replace(/\{(\w+)\}/g, function (m, k) { return kw[k] !== undefined ? kw[k] : m; }); }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function nodeById(id) { return nodes[col[id]]; }
  function full(x) { return Number.isFinite(x) ? String(x) : "NaN"; }

  // --- method weights per year -------------------------------------------------------------
  var baseW = [];  // per year: Float64Array over nonroot (index in nonroot)
  var nrIndex = {};
  nonroot.forEach(function (n, j) { nrIndex[n] = j; });
  years.forEach(function (yy) {
    var vals = D.weights.per_year ? D.weights.values[String(yy)] : D.weights.values;
    var a = new Float64Array(nonroot.length);
    for (var j = 0; j < nonroot.length; j++) a[j] = vals && vals[j] != null ? vals[j] : NaN;
    baseW.push(a);
  });
  var refW = baseW[winIdx.length ? winIdx[winIdx.length - 1] : Y - 1];  // weights shown as "start"

  // --- geometric mean input --------------------------------------------------------------------
  var Zgeo = null;
  if (D.geometric.available && D.geometric.rescale) {
    var rs = D.geometric.rescale, lo = rs[0], hi = rs[1], nlo = rs[2], nhi = rs[3];
    Zgeo = new Float64Array(Z.length);
    for (var g = 0; g < Z.length; g++) Zgeo[g] = nlo + (nhi - nlo) * ((Z[g] - lo) / (hi - lo));
  }

  // --- engine ------------------------------------------------------------------------------------
  // effective within-parent weights: w'_n = m_n w_n / sum_{s in sib(n)} m_s w_s
  function effective(mult, t) {
    var w = baseW[t], out = new Float64Array(nonroot.length), bad = null;
    Object.keys(children).forEach(function (p) {
      var kids = children[p], s = 0;
      kids.forEach(function (c) { var j = nrIndex[c]; s += mult[c] * w[j]; });
      kids.forEach(function (c) { var j = nrIndex[c]; out[j] = mult[c] * w[j] / s; });
      if (!(s > 0)) bad = p;
    });
    return { w: out, bad: bad };
  }

  // scores[(t*N + u)*K + k]
  function compute(mult, method) {
    var zin = method === "geometric" && Zgeo ? Zgeo : Z;
    var S = new Float64Array(Y * N * K), bad = null;
    for (var t = 0; t < Y; t++) {
      var e = effective(mult, t);
      if (e.bad) bad = e.bad;
      var w = e.w;
      for (var u = 0; u < N; u++) {
        var zo = (t * N + u) * P, so = (t * N + u) * K;
        for (var j = 0; j < P; j++) S[so + j] = zin[zo + j];
      }
      for (var lv = 0; lv < aggLevels.length; lv++) {
        var parents = aggLevels[lv];
        for (var q = 0; q < parents.length; q++) {
          var p = parents[q], pk = col[p], kids = children[p] || [];
          var kc = kids.map(function (c) { return col[c]; }), kw = kids.map(function (c) { return w[nrIndex[c]]; });
          for (var u2 = 0; u2 < N; u2++) {
            var base = (t * N + u2) * K, num = 0, den = 0;
            for (var c = 0; c < kc.length; c++) {
              var x = S[base + kc[c]];
              if (x === x) {
                num += kw[c] * (method === "geometric" ? Math.log(x) : x);
                den += kw[c];
              }
            }
            S[base + pk] = den === 0 ? NaN : (method === "geometric" ? Math.exp(num / den) : num / den);
          }
        }
      }
    }
    return { S: S, bad: bad };
  }

  function ranksOf(S, t) {  // 1 = highest, ties the minimum rank, NaN no rank
    var idx = [], r = new Float64Array(N).fill(NaN);
    for (var u = 0; u < N; u++) if (S[(t * N + u) * K + rootK] === S[(t * N + u) * K + rootK]) idx.push(u);
    idx.sort(function (a, b) { return S[(t * N + b) * K + rootK] - S[(t * N + a) * K + rootK]; });
    for (var i = 0; i < idx.length; i++) {
      var v = S[(t * N + idx[i]) * K + rootK];
      r[idx[i]] = i > 0 && v === S[(t * N + idx[i - 1]) * K + rootK] ? r[idx[i - 1]] : i + 1;
    }
    return r;
  }

  function regionMeans(S, t, skipNaN) {  // unweighted means of the index per region
    var sum = new Float64Array(R), cnt = new Float64Array(R), nat = 0, nn = 0;
    for (var u = 0; u < N; u++) {
      var v = S[(t * N + u) * K + rootK];
      if (skipNaN && v !== v) continue;
      sum[regionCode[u]] += v; cnt[regionCode[u]] += 1; nat += v; nn += 1;
    }
    var m = new Float64Array(R);
    for (var k = 0; k < R; k++) m[k] = sum[k] / cnt[k];
    return { region: m, national: nat / nn };
  }

  function claims(S) {  // greenindex.analysis.claims: C1-C4 over the window
    var out = [], t0 = winIdx[0], t1 = winIdx[winIdx.length - 1];
    var ok = winIdx.length >= 2 && winIdx.every(function (t) { return t !== undefined; });
    var means = ok ? winIdx.map(function (t) { return regionMeans(S, t, false); }) : [];
    var c1 = ok ? means[means.length - 1].national - means[0].national : NaN;
    out.push({ claim: "C1", value: c1, holds: c1 === c1 ? c1 > 0 : null });
    var ro = D.roles, e = D.regions.indexOf(ro.east), c = D.regions.indexOf(ro.central), w = D.regions.indexOf(ro.west);
    if (!ok || e < 0 || c < 0 || w < 0) out.push({ claim: "C2", value: NaN, holds: null });
    else {
      var margin = Infinity;
      means.forEach(function (m) { margin = Math.min(margin, Math.min(m.region[e] - m.region[c], m.region[c] - m.region[w])); });
      out.push({ claim: "C2", value: margin, holds: margin === margin ? margin > 0 : null });
    }
    var ne = D.regions.indexOf(ro.northeast);
    if (!ok || ne < 0 || R < 2) out.push({ claim: "C3", value: NaN, holds: null });
    else {
      var gain = [], a = means[0].region, b = means[means.length - 1].region;
      for (var k = 0; k < R; k++) gain.push(D.growth === "relative" ? (b[k] - a[k]) / a[k] : b[k] - a[k]);
      var others = Infinity;
      for (var k2 = 0; k2 < R; k2++) if (k2 !== ne) others = Math.min(others, gain[k2]);
      var v3 = gain[ne] - others;
      out.push({ claim: "C3", value: v3, holds: v3 === v3 ? v3 < 0 : null });
    }
    c4(S, ok).forEach(function (r) { out.push(r); });
    return out;
  }

  // C4: window mean of the between-region share of Theil T (C4a) and of the Dagum net
  // between-region contribution G_nb / G (C4b) (greenindex.analysis.disparity theil_batch,
  // dagum_gini_batch); not applicable with negative values or a region of zero mean.
  function xlogy(x, y) { return x === 0 ? 0 : x * Math.log(y); }
  function shares(S, t) {
    var y = new Float64Array(N), tot = 0;
    for (var u = 0; u < N; u++) { y[u] = S[(t * N + u) * K + rootK]; if (!(y[u] >= 0)) return null; tot += y[u]; }
    if (!(tot > 0)) return null;
    var mean = tot / N, nk = new Float64Array(R), sk = new Float64Array(R), mk = new Float64Array(R);
    for (var u2 = 0; u2 < N; u2++) { nk[regionCode[u2]] += 1; mk[regionCode[u2]] += y[u2]; }
    var T = 0;
    for (var u3 = 0; u3 < N; u3++) T += xlogy(y[u3] / mean, y[u3] / mean);
    T /= N;
    var between = 0, posMeans = true;
    for (var k = 0; k < R; k++) {
      mk[k] /= nk[k];
      sk[k] = nk[k] * mk[k] / (N * mean);
      between += xlogy(sk[k], (mk[k] > 0 ? mk[k] : 1) / mean);
      if (!(mk[k] > 0)) posMeans = false;
    }
    var theil = T > 0 ? between / T : 0;
    if (!posMeans) return { theil: theil, dagum: NaN };
    // pair sums S_jh = sum_{i in j, r in h} |y_i - y_r| from one sort: A[j][h] adds, for each
    // unit i of j, its distance to the units of h below it in the order
    var order = [];
    for (var u4 = 0; u4 < N; u4++) order.push(u4);
    order.sort(function (a, b) { return y[a] - y[b]; });
    var cnt = new Float64Array(R), sum = new Float64Array(R), A = new Float64Array(R * R);
    for (var q = 0; q < N; q++) {
      var i = order[q], j = regionCode[i], v = y[i];
      for (var h = 0; h < R; h++) A[j * R + h] += cnt[h] * v - sum[h];
      cnt[j] += 1; sum[j] += v;
    }
    var G = 0, Gnb = 0;
    for (var j2 = 0; j2 < R; j2++) for (var h2 = 0; h2 < R; h2++) {
      var Sjh = j2 === h2 ? 2 * A[j2 * R + j2] : A[j2 * R + h2] + A[h2 * R + j2];
      G += Sjh;
      if (h2 > j2) {
        var nn = nk[j2] * nk[h2], Gjh = Sjh / (nn * (mk[j2] + mk[h2]));
        var Djh = Sjh > 0 ? Math.abs(mk[j2] - mk[h2]) * nn / Sjh : 0;
        Gnb += Gjh * (nk[j2] / N * sk[h2] + nk[h2] / N * sk[j2]) * Djh;
      }
    }
    G /= 2 * N * N * mean;
    return { theil: theil, dagum: G > 0 ? Gnb / G : 0 };
  }
  function c4(S, ok) {
    var th = 0, dg = 0, okT = ok && R >= 2, okD = okT;
    if (okT) winIdx.forEach(function (t) {
      var r = shares(S, t);
      if (r === null) { okT = false; okD = false; return; }
      th += r.theil; dg += r.dagum;
      if (r.dagum !== r.dagum) okD = false;
    });
    var n = winIdx.length, lim = D.between_share_large;
    return [
      { claim: "C4a", value: okT ? th / n : NaN, holds: okT ? th / n >= lim : null },
      { claim: "C4b", value: okD ? dg / n : NaN, holds: okD ? dg / n >= lim : null }
    ];
  }

  // --- state -------------------------------------------------------------------------------------
  var state = { mult: {}, method: D.start_method, year: years[years.length - 1] };
  if (yearIndex[D.window[1]] !== undefined) state.year = D.window[1];
  nonroot.forEach(function (n) { state.mult[n] = 1; });
  var startMult = Object.assign({}, state.mult);
  var start = compute(startMult, D.start_method).S;
  var startRankCache = {};
  function startRanks(t) { return startRankCache[t] || (startRankCache[t] = ranksOf(start, t)); }

  // --- YAML snippet --------------------------------------------------------------------------------
  var PLAIN = /^[A-Za-z_][A-Za-z0-9_.\-\/]*$/;
  var SPECIAL = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
  function yScalar(v) {
    if (v === null || v === undefined) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return v !== v ? ".nan" : (v > 0 ? ".inf" : "-.inf");
      if (Number.isInteger(v)) return String(v);
      var s = String(v);
      if (s.indexOf("e") >= 0) {  // YAML 1.1 floats need a dot and a signed exponent
        var parts = s.split("e"), mant = parts[0], ex = parts[1];
        if (mant.indexOf(".") < 0) mant += ".0";
        if (ex[0] !== "-" && ex[0] !== "+") ex = "+" + ex;
        s = mant + "e" + ex;
      }
      return s;
    }
    var str = String(v);
    return PLAIN.test(str) && !SPECIAL.test(str) ? str : JSON.stringify(str);
  }
  function yKey(k) { return PLAIN.test(k) && !SPECIAL.test(k) ? k : JSON.stringify(k); }
  function yaml(v, ind) {
    var pad = new Array(ind + 1).join("  "), lines = [];
    Object.keys(v).forEach(function (k) {
      var x = v[k];
      if (x !== null && typeof x === "object" && !Array.isArray(x)) {
        if (Object.keys(x).length === 0) lines.push(pad + yKey(k) + ": {}");
        else { lines.push(pad + yKey(k) + ":"); lines.push(yaml(x, ind + 1)); }
      } else if (Array.isArray(x)) {
        if (x.every(function (a) { return a === null || typeof a !== "object"; }))
          lines.push(pad + yKey(k) + ": [" + x.map(yScalar).join(", ") + "]");
        else {
          lines.push(pad + yKey(k) + ":");
          x.forEach(function (a) { lines.push(pad + "  - " + JSON.stringify(a)); });
        }
      } else lines.push(pad + yKey(k) + ": " + yScalar(x));
    });
    return lines.join("\n");
  }
  function snippetObject() {
    var s = JSON.parse(JSON.stringify(D.snippet));
    var user = Object.assign({}, s.weights.user || {});
    nonroot.forEach(function (n) {
      var m = state.mult[n];
      if (m !== 1) user[n] = (user[n] !== undefined ? user[n] : 1) * m;
    });
    var sorted = {};
    Object.keys(user).sort().forEach(function (k) { sorted[k] = user[k]; });
    s.weights.user = sorted;
    s.aggregate.method = state.method;
    if (state.method === "geometric" && D.geometric.rescale) s.normalise.range = [D.geometric.rescale[2], D.geometric.rescale[3]];
    return s;
  }
  function snippetText() {
    var s = snippetObject(), head = [
      "# greenindex weight explorer: main variant '" + D.variant + "', " + D.keys.method + " " + D.method +
        ", aggregation " + state.method + ".",
      "# Replace the sections normalise, weights and aggregate of config/config.yaml by these.",
      "# weights.user: multipliers of the method's within-parent weights (renormalised among siblings)."
    ];
    head.push("# " + T.other_variants);
    var ov = D.variant_override, clash = [];
    if (ov.weights && ov.weights.user !== undefined) clash.push("weights.user");
    if (ov.aggregate && ov.aggregate.method !== undefined && ov.aggregate.method !== state.method) clash.push("aggregate.method");
    if (ov.normalise && ov.normalise.range !== undefined && state.method === "geometric" && D.geometric.rescale) clash.push("normalise.range");
    if (clash.length) head.push("# " + fmt(T.variant_override, { keys: clash.join(", "), v: D.variant }));
    return head.join("\n") + "\n" + yaml(s, 0) + "\n";
  }

  // --- view --------------------------------------------------------------------------------------
  var app = document.getElementById("app");
  var decimals = 2;
  (function () {
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < start.length; i += 1) { var v = start[i]; if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; } }
    decimals = hi - lo >= 20 ? 2 : 4;
  })();
  function show(x, d) { return Number.isFinite(x) ? x.toFixed(d === undefined ? decimals : d) : "–"; }
  function pct(x) { return Number.isFinite(x) ? (100 * x).toFixed(1) + "%" : "–"; }

  app.appendChild(el("p", { class: "intro", text: T.intro }));
  var layout = el("div", { class: "layout" });
  app.appendChild(layout);
  var side = el("form", { class: "controls", id: "controls", "aria-labelledby": "controls-h" });
  side.addEventListener("submit", function (ev) { ev.preventDefault(); });
  var mainCol = el("div", { class: "results" });
  layout.appendChild(side);
  layout.appendChild(mainCol);
  side.appendChild(el("h2", { id: "controls-h", text: T.controls }));
  side.appendChild(el("p", { class: "help", text: T.weights_help }));

  var inputs = {};
  function weightRow(n, dim) {
    var id = n.id, row = el("div", { class: dim ? "wrow dim" : "wrow" });
    var lab = dim ? el("label", { for: "m-" + id, title: id }, [el("span", { class: "sr" }, [n.name + ": "]), T.dim_multiplier])
      : el("label", { for: "m-" + id, text: n.name, title: id });
    var range = el("input", { type: "range", id: "m-" + id, min: "0", max: "5", step: "0.05", value: "1", "data-node": id, "aria-describedby": "s-" + id });
    var num = el("input", { type: "number", id: "n-" + id, min: "0", step: "0.05", value: "1", "data-node": id, "aria-label": T.multiplier_of + " " + n.name, class: "num" });
    var out = el("output", { id: "s-" + id, for: "m-" + id + " n-" + id, class: "share", "data-node": id });
    if (!(refW[nrIndex[id]] > 0) && !D.weights.per_year) { range.disabled = true; num.disabled = true; }
    range.addEventListener("input", function () { num.value = range.value; setMult(id, parseFloat(range.value)); });
    num.addEventListener("input", function () {
      var v = parseFloat(num.value);
      if (!(v >= 0) || !Number.isFinite(v)) return;
      range.value = String(Math.min(v, 5));
      setMult(id, v);
    });
    inputs[id] = { range: range, num: num, out: out };
    row.appendChild(lab);
    row.appendChild(el("div", { class: "wctl" }, [range, num, out]));
    return row;
  }
  var topKids = children[D.root] || [];
  var dimBox = el("fieldset", { class: "weights" }, [el("legend", { text: T.dimensions })]);
  side.appendChild(dimBox);
  function addSubtree(p, into) {
    (children[p] || []).forEach(function (cid) {
      var n = nodeById(cid);
      if (n.level === 1) return;
      var box = el("fieldset", { class: "dimension" }, [el("legend", { text: n.name })]);
      box.appendChild(weightRow(n, true));
      var det = el("details", { class: "inds" });
      var kids = children[cid] || [];
      det.appendChild(el("summary", { text: T.indicators_of + " (" + kids.length + ")" }));
      kids.forEach(function (k) { var kn = nodeById(k); if (kn.level === 1) det.appendChild(weightRow(kn, false)); });
      box.appendChild(det);
      addSubtree(cid, box);
      into.appendChild(box);
    });
  }
  addSubtree(D.root, dimBox);
  topKids.forEach(function (k) { var kn = nodeById(k); if (kn.level === 1) dimBox.appendChild(weightRow(kn, false)); });

  var methodBox = el("fieldset", { class: "method" }, [el("legend", { text: T.aggregation })]);
  ["arithmetic", "geometric"].forEach(function (m) {
    var r = el("input", { type: "radio", name: "method", id: "method-" + m, value: m });
    if (m === state.method) r.checked = true;
    if (m === "geometric" && !D.geometric.available) r.disabled = true;
    r.addEventListener("change", function () { if (r.checked) { state.method = m; update(); } });
    methodBox.appendChild(el("div", { class: "radio" }, [r, el("label", { for: "method-" + m, text: T[m] })]));
  });
  if (!D.geometric.available) methodBox.appendChild(el("p", { class: "help", text: T.geo_unavailable }));
  else if (D.geometric.rescale) methodBox.appendChild(el("p", { class: "help", text: fmt(T.geo_rescaled, { hi: D.geometric.rescale[3] }) }));
  side.appendChild(methodBox);

  var yearSel = el("select", { id: "year" });
  years.forEach(function (yy) { var o = el("option", { value: String(yy), text: String(yy) }); if (yy === state.year) o.selected = true; yearSel.appendChild(o); });
  yearSel.addEventListener("change", function () { state.year = parseInt(yearSel.value, 10); update(); });
  side.appendChild(el("div", { class: "yearrow" }, [el("label", { for: "year", text: T.year }), yearSel]));

  var resetBtn = el("button", { type: "button", id: "reset", text: T.reset });
  resetBtn.addEventListener("click", function () {
    nonroot.forEach(function (n) { state.mult[n] = 1; if (inputs[n]) { inputs[n].range.value = "1"; inputs[n].num.value = "1"; } });
    state.method = D.start_method;
    document.getElementById("method-" + state.method).checked = true;
    update();
  });
  var exportBtn = el("button", { type: "button", id: "export", text: T.export, "aria-controls": "snippet-box" });
  side.appendChild(el("div", { class: "buttons" }, [resetBtn, exportBtn]));
  var snippetArea = el("textarea", { id: "snippet", readonly: "readonly", rows: "14", spellcheck: "false", "aria-label": T.export });
  var copyBtn = el("button", { type: "button", id: "copy", text: T.copy });
  var copyNote = el("span", { class: "help", role: "status" });
  var snippetBox = el("div", { id: "snippet-box", hidden: "hidden" }, [
    el("p", { class: "help", text: fmt(T.snippet_help, { variant: D.variant }) }), snippetArea, el("div", {}, [copyBtn, copyNote])]);
  side.appendChild(snippetBox);
  exportBtn.addEventListener("click", function () {
    snippetArea.value = snippetText();
    snippetBox.hidden = false;
    snippetArea.focus();
    snippetArea.select();
  });
  copyBtn.addEventListener("click", function () {
    snippetArea.select();
    var done = function () { copyNote.textContent = " " + T.copied; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(snippetArea.value).then(done, function () {});
    else { try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ } }
  });
  var timing = el("p", { class: "timing", id: "timing", "aria-live": "off" });
  side.appendChild(timing);
  var errBox = el("p", { class: "error", id: "error", role: "alert", hidden: "hidden" });
  side.appendChild(errBox);

  // results: claims, regions, map, ranks, notes
  var claimSec = el("section", { id: "claims", "aria-labelledby": "claims-h" });
  claimSec.appendChild(el("h2", { id: "claims-h", text: fmt(T.claims, { s: D.window[0], e: D.window[1] }) }));
  var claimList = el("ul", { class: "claims", id: "claim-list" });
  claimSec.appendChild(claimList);
  claimSec.appendChild(el("p", { class: "help", text: fmt(T.claims_note, { lim: (100 * D.between_share_large).toFixed(0) + "%" }) }));
  mainCol.appendChild(claimSec);

  var top = el("div", { class: "pair" });
  mainCol.appendChild(top);
  var regSec = el("section", { id: "regions", "aria-labelledby": "regions-h" });
  var regH = el("h2", { id: "regions-h" });
  regSec.appendChild(regH);
  var regTable = el("table", { class: "regions" });
  regSec.appendChild(regTable);
  var gradP = el("p", { id: "gradient" });
  regSec.appendChild(gradP);
  top.appendChild(regSec);

  var mapSec = null, mapH = null, mapPaths = {}, legend = null;
  if (D.map) {
    mapSec = el("section", { id: "map", "aria-labelledby": "map-h" });
    mapH = el("h2", { id: "map-h" });
    mapSec.appendChild(mapH);
    var NS = "http://www.w3.org/2000/svg", M = D.map;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + M.width + " " + M.height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", "map-h");
    svg.setAttribute("class", "map");
    var defs = document.createElementNS(NS, "defs");
    defs.innerHTML = '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
      '<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="1.2"/></pattern>';
    if (M.inset_box) {
      var b = M.inset_box;
      defs.innerHTML += '<clipPath id="inset-clip"><rect x="' + b[0] + '" y="' + b[1] + '" width="' + b[2] + '" height="' + b[3] + '"/></clipPath>';
    }
    svg.appendChild(defs);
    var unitName = {};
    D.units.forEach(function (u) { unitName[u.id] = u.name; });
    function layer(paths, dash, clip) {
      var g = document.createElementNS(NS, "g");
      if (clip) g.setAttribute("clip-path", "url(#inset-clip)");
      Object.keys(paths).forEach(function (uid) {
        var p = document.createElementNS(NS, "path");
        p.setAttribute("d", paths[uid]);
        p.setAttribute("data-unit", uid);
        p.setAttribute("class", "prov");
        var tt = document.createElementNS(NS, "title");
        p.appendChild(tt);
        g.appendChild(p);
        (mapPaths[uid] = mapPaths[uid] || []).push(p);
      });
      if (dash) {
        var dl = document.createElementNS(NS, "path");
        dl.setAttribute("d", dash);
        dl.setAttribute("class", "dash");
        g.appendChild(dl);
      }
      return g;
    }
    svg.appendChild(layer(M.main, M.dash_main, false));
    if (M.inset_box) {
      var ib = M.inset_box, bg = document.createElementNS(NS, "rect");
      bg.setAttribute("x", ib[0]); bg.setAttribute("y", ib[1]); bg.setAttribute("width", ib[2]); bg.setAttribute("height", ib[3]);
      bg.setAttribute("class", "inset-bg");
      svg.appendChild(bg);
      svg.appendChild(layer(M.inset, M.dash_inset, true));
      var fr = bg.cloneNode();
      fr.setAttribute("class", "inset-frame");
      svg.appendChild(fr);
    }
    mapSec.appendChild(svg);
    legend = el("div", { class: "legend" });
    mapSec.appendChild(legend);
    mapSec.appendChild(el("p", { class: "caption", text: D.map_note }));
    top.appendChild(mapSec);
  }

  var rankSec = el("section", { id: "ranks", "aria-labelledby": "ranks-h" });
  var rankH = el("h2", { id: "ranks-h" });
  rankSec.appendChild(rankH);
  var rankTable = el("table", { class: "ranks", id: "rank-table" });
  rankSec.appendChild(rankTable);
  var rankNote = el("p", { class: "help" });
  rankSec.appendChild(rankNote);
  mainCol.appendChild(rankSec);

  var notes = el("section", { id: "notes", "aria-labelledby": "notes-h" }, [el("h2", { id: "notes-h", text: T.data })]);
  var fc = D.flag_counts;
  notes.appendChild(el("p", { id: "data-years", text: fmt(T.data_years, {
    p0: D.panel[0], p1: D.panel[1], w0: D.window[0], w1: D.window[1], n: N, v: D.variant, norm: D.normalise_label, method: D.method_label }) }));
  notes.appendChild(el("p", { id: "imputation", text: fmt(T.flags_line, {
    total: Y * N * P, interp: fc.interp, carried: fc.carried, group: fc.group, subst: fc.subst, missing: D.n_missing }) }));
  notes.appendChild(el("p", { id: "weights-note", text: D.data_driven ? fmt(T.data_driven, { method: D.method_label }) : fmt(T.fixed_weights, { method: D.method_label }) }));
  if (D.weights.per_year) notes.appendChild(el("p", { text: T.per_year }));
  if (D.config_method !== D.start_method) notes.appendChild(el("p", { text: fmt(T.not_page_method, { m: D.config_method }) }));
  notes.appendChild(el("p", { text: T.offline }));
  mainCol.appendChild(notes);

  // --- render ------------------------------------------------------------------------------------
  function colorOf(t) {
    var c = D.colors, x = Math.max(0, Math.min(1, t)) * (c.length - 1), i = Math.min(Math.floor(x), c.length - 2), f = x - i;
    function ch(h, k) { return parseInt(h.substr(1 + 2 * k, 2), 16); }
    var rgb = [0, 1, 2].map(function (k) { return Math.round(ch(c[i], k) * (1 - f) + ch(c[i + 1], k) * f); });
    return "rgb(" + rgb.join(",") + ")";
  }

  function renderWeights() {
    var t = yearIndex[state.year], e = effective(state.mult, t);
    nonroot.forEach(function (n) {
      if (!inputs[n]) return;
      var j = nrIndex[n];
      inputs[n].out.textContent = fmt(T.share_line, { s: pct(e.w[j]), s0: pct(baseW[t][j]) });
      inputs[n].out.setAttribute("data-share", full(e.w[j]));
    });
  }

  var MAX_ROWS = 100;
  function render(res) {
    var S = res.S, t = yearIndex[state.year];
    // claims
    claimList.textContent = "";
    claims(S).forEach(function (c) {
      var verdict = c.holds === null ? T.na : (c.holds ? T.holds : T.fails);
      var li = el("li", { "data-claim": c.claim, "data-value": full(c.value), "data-holds": c.holds === null ? "na" : String(c.holds),
        class: c.holds === null ? "c-na" : (c.holds ? "c-holds" : "c-fails") }, [
        el("strong", { text: c.claim + " " }), el("span", { class: "verdict", text: verdict }),
        el("span", { class: "stat", text: " (" + (!Number.isFinite(c.value) ? "–" : c.claim.charAt(1) === "4" ? pct(c.value)
          : (c.value >= 0 ? "+" : "") + c.value.toPrecision(4)) + ")" })]);
      li.appendChild(el("span", { class: "statement", text: " " + (D.text["claim_" + c.claim] || "") }));
      claimList.appendChild(li);
    });
    // regions
    regH.textContent = fmt(T.regions, { y: state.year });
    var m = regionMeans(S, t, true), m0 = regionMeans(start, t, true);
    regTable.textContent = "";
    regTable.appendChild(el("thead", {}, [el("tr", {}, [el("th", { text: T.region }), el("th", { text: T.mean }), el("th", { text: T.start_mean })])]));
    var tb = el("tbody");
    D.regions.forEach(function (r, k) {
      tb.appendChild(el("tr", { "data-region": r }, [el("td", { text: D.text["region_" + r] || r }),
        el("td", { "data-value": full(m.region[k]), text: show(m.region[k]) }), el("td", { text: show(m0.region[k]) })]));
    });
    tb.appendChild(el("tr", { "data-region": "national", class: "national" }, [el("td", { text: D.text.region_national || "national" }),
      el("td", { "data-value": full(m.national), text: show(m.national) }), el("td", { text: show(m0.national) })]));
    regTable.appendChild(tb);
    var ro = D.roles, ke = D.regions.indexOf(ro.east), kc = D.regions.indexOf(ro.central), kw = D.regions.indexOf(ro.west);
    if (ke >= 0 && kc >= 0 && kw >= 0) {
      var grad = m.region[ke] > m.region[kc] && m.region[kc] > m.region[kw];
      gradP.textContent = fmt(T.gradient, { y: state.year, v: grad ? T.yes : T.no });
      gradP.setAttribute("data-holds", String(grad));
      gradP.className = grad ? "holds" : "fails";
    } else { gradP.textContent = ""; }
    // map
    if (D.map) {
      mapH.textContent = fmt(T.map, { y: state.year });
      var lo = Infinity, hi = -Infinity;
      for (var tt = 0; tt < Y; tt++) for (var u = 0; u < N; u++) {
        var v = S[(tt * N + u) * K + rootK];
        if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; }
      }
      var val = {};
      D.units.forEach(function (uu, k) { val[uu.id] = S[(t * N + k) * K + rootK]; });
      Object.keys(mapPaths).forEach(function (uid) {
        var v2 = val[uid], has = v2 !== undefined && v2 === v2;
        var fill = has ? colorOf(hi > lo ? (v2 - lo) / (hi - lo) : 0.5) : "url(#hatch)";
        mapPaths[uid].forEach(function (p) {
          p.setAttribute("fill", fill);
          p.setAttribute("data-value", has ? full(v2) : "NaN");
          var nm = D.map_names[uid] || uid;
          p.firstChild.textContent = nm + ": " + (has ? show(v2) : T.no_data) +
            (has && D.flags[uid + "|" + state.year] ? " † " + T.flag_mark : "");
        });
      });
      legend.textContent = "";
      var bar = el("span", { class: "bar", style: "background:linear-gradient(to right," + D.colors.join(",") + ")" });
      legend.appendChild(el("span", { text: show(lo) + " " }));
      legend.appendChild(bar);
      legend.appendChild(el("span", { text: " " + show(hi) }));
      legend.appendChild(el("span", { class: "nodata" }, [el("span", { class: "sw" }), " " + T.no_data]));
      legend.appendChild(el("div", { class: "help", text: fmt(T.map_scale, { lo: show(lo), hi: show(hi) }) }));
    }
    // ranks
    rankH.textContent = fmt(T.ranks, { y: state.year });
    var r = ranksOf(S, t), r0 = startRanks(t);
    var order = [];
    for (var u3 = 0; u3 < N; u3++) order.push(u3);
    order.sort(function (a, b) {
      var ra = r[a], rb = r[b];
      if (ra !== ra) return 1; if (rb !== rb) return -1;
      return ra - rb || (D.units[a].id < D.units[b].id ? -1 : 1);
    });
    rankTable.textContent = "";
    var hr = el("tr", {}, [el("th", { text: T.rank }), el("th", { text: T.change, title: T.change_help }), el("th", { text: T.unit }),
      el("th", { text: T.region }), el("th", { text: T.index })]);
    dims.forEach(function (d) { hr.appendChild(el("th", { text: nodeById(d).name })); });
    rankTable.appendChild(el("thead", {}, [hr]));
    var body = el("tbody");
    var shown = Math.min(N, MAX_ROWS);
    for (var q = 0; q < shown; q++) {
      var uu = order[q], unit = D.units[uu], base = (t * N + uu) * K;
      var ch = r0[uu] - r[uu];
      var flagged = D.flags[unit.id + "|" + state.year];
      var nameCell = el("td", { class: "name" }, [unit.name]);
      if (flagged) {
        nameCell.appendChild(el("span", { class: "flag", title: T.flag_mark + ": " + flagged.map(function (f) { return f[0] + " (" + f[1] + ")"; }).join(", "),
          "aria-label": T.flag_mark, text: " †" }));
      }
      var tr = el("tr", { "data-unit": unit.id, "data-rank": full(r[uu]), "data-rank-change": full(ch) }, [
        el("td", { text: Number.isFinite(r[uu]) ? String(r[uu]) : "–" }),
        el("td", { class: ch > 0 ? "up" : (ch < 0 ? "down" : "same"), text: !Number.isFinite(ch) ? "–" : (ch > 0 ? "▲" + ch : (ch < 0 ? "▼" + (-ch) : "0")) }),
        nameCell,
        el("td", { text: D.text["region_" + unit.region] || unit.region }),
        el("td", { "data-node": D.root, "data-value": full(S[base + rootK]), text: show(S[base + rootK]) })]);
      dims.forEach(function (d) { var v4 = S[base + col[d]]; tr.appendChild(el("td", { "data-node": d, "data-value": full(v4), text: show(v4) })); });
      body.appendChild(tr);
    }
    rankTable.appendChild(body);
    rankNote.textContent = N > shown ? fmt(T.rows_cut, { k: shown, n: N }) : "";
  }

  var last = null;
  function update() {
    var t0 = performance.now();
    var res = compute(state.mult, state.method);
    if (res.bad) {
      errBox.textContent = fmt(T.zero_weights, { p: nodeById(res.bad).name });
      errBox.hidden = false;
      renderWeights();
      return;
    }
    errBox.hidden = true;
    renderWeights();
    render(res);
    last = res;
    var ms = performance.now() - t0;
    api.timings.push(ms);
    timing.textContent = fmt(T.timing, { ms: ms.toFixed(1) });
    document.body.setAttribute("data-last-ms", String(ms));
    document.body.setAttribute("data-updates", String(api.timings.length));
  }
  function setMult(id, v) { state.mult[id] = v; update(); }

  var api = {
    timings: [],
    state: state,
    snippet: snippetText,
    scores: function () { return last ? Array.from(last.S) : null; },
    layout: { years: years, units: D.units.map(function (u) { return u.id; }), nodes: nodes.map(function (n) { return n.id; }) }
  };
  window.greenindexExplorer = api;
  update();
  app.setAttribute("aria-busy", "false");
})();
