using System;
using System.Security.Cryptography;
using System.Text;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// The page's own style and script, inlined in every report (a report is one file that opens anywhere, offline).
    /// The script is allowed by its hash in the page's Content-Security-Policy, so no other script can run there.
    /// </summary>
    internal static class ReportAssets
    {
        public const string Style = @"
:root{--bg:#f6f8fa;--fg:#1f2328;--mu:#59636e;--card:#fff;--line:#d1d9e0;--soft:#f6f8fa;--acc:#0969da;--hd1:#0b2a5b;--hd2:#0f5bc4;--pre:#0d1117;--pref:#e6edf3;
--jo:#0969da;--jp:#bf3989;--to:#1a7f37;--tp:#8250df;--tl:#9a6700;--ti:#59636e;--c0:#0e7490;--c1:#b35900;--c2:#4f46e5;--c3:#a40e26;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,""DejaVu Sans Mono"",""Liberation Mono"",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mu:#9198a1;--card:#151b23;--line:#3d444d;--soft:#1b222c;--acc:#4493f8;--hd1:#0b1d3a;--hd2:#12408a;--pre:#010409;
--jo:#58a6ff;--jp:#f778ba;--to:#3fb950;--tp:#bc8cff;--tl:#d29922;--ti:#9198a1;--c0:#22d3ee;--c1:#f0883e;--c2:#a5b4fc;--c3:#ff7b72}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,""Segoe UI"",Roboto,""Helvetica Neue"",""DejaVu Sans"",Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 20px}
a{color:var(--acc)}
.mono,.p,.bn,.tid,pre,.meta dd{font-family:var(--mono)}
.mu{color:var(--mu)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
header.top{background:linear-gradient(120deg,var(--hd1),var(--hd2));color:#fff;padding:26px 0 22px}
.eyebrow{margin:0;font-size:12px;letter-spacing:.09em;text-transform:uppercase;opacity:.8}
h1{margin:2px 0 14px;font-size:30px;line-height:1.2;font-weight:650;overflow-wrap:anywhere}
.meta{display:flex;flex-wrap:wrap;gap:8px 32px;margin:0;font-size:13px}
.meta div{min-width:0}
.meta dt{opacity:.72;font-size:12px}
.meta dd{margin:0;overflow-wrap:anywhere}
.notes{margin:18px 0 0;padding:10px 14px 10px 32px;border:1px solid color-mix(in srgb,var(--tl) 45%,transparent);background:color-mix(in srgb,var(--tl) 10%,var(--card));border-radius:10px;font-size:14px}
section{margin:28px 0}
h2{display:flex;align-items:center;gap:10px;margin:0 0 12px;font-size:19px;font-weight:650}
.count{font-size:12px;font-weight:600;padding:1px 9px;border-radius:999px;background:var(--line);color:var(--fg)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-bottom:14px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;min-width:0}
.card b{display:block;font-size:26px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.card.last b{font-size:17px;padding:5px 0 4px}
.card span{color:var(--mu);font-size:13px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:12px;overflow:hidden}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{padding:8px 12px;text-align:left;vertical-align:top;border-top:1px solid var(--line)}
thead th{border-top:0;background:var(--soft);color:var(--mu);font-size:11.5px;font-weight:600;letter-spacing:.05em;text-transform:uppercase;white-space:nowrap}
th.n,td.n,.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.tm,th.tm{white-space:nowrap;color:var(--mu)}
.k-jo{--c:var(--jo)}.k-jp{--c:var(--jp)}.k-to{--c:var(--to)}.k-tp{--c:var(--tp)}.k-tl{--c:var(--tl)}.k-ti{--c:var(--ti)}.k-c0{--c:var(--c0)}.k-c1{--c:var(--c1)}.k-c2{--c:var(--c2)}.k-c3{--c:var(--c3)}
.k{display:inline-block;max-width:100%;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;line-height:18px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:middle;color:var(--c);background:color-mix(in srgb,var(--c) 13%,transparent);border:1px solid color-mix(in srgb,var(--c) 32%,transparent)}
.k i{font-style:normal;font-weight:700;margin-left:6px}
.scope{margin-left:6px;font-size:12px;color:var(--mu)}
td.bar{width:28%;vertical-align:middle}
td.bar span{display:block;height:8px;min-width:2px;border-radius:4px;background:var(--c)}
.p{overflow-wrap:anywhere;font-size:13.5px}
.bn{font-size:11.5px;color:var(--mu);overflow-wrap:anywhere;margin-top:2px}
.files td:first-child{width:1%;white-space:nowrap}
.empty{margin:0;padding:14px 16px;color:var(--mu);background:var(--card);border:1px dashed var(--line);border-radius:12px}
.toolbar{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:10px 0;background:var(--bg)}
.toolbar input{flex:1 1 280px;min-width:0;padding:9px 12px;border:1px solid var(--line);border-radius:9px;background:var(--card);color:inherit;font:inherit}
.toolbar input:focus{outline:2px solid var(--acc);outline-offset:-1px}
.toolbar button{padding:8px 12px;border:1px solid var(--line);border-radius:9px;background:var(--card);color:inherit;font:inherit;font-size:14px;cursor:pointer}
.toolbar button:disabled{opacity:.45;cursor:default}
#shown{font-size:13px;margin-right:auto}
html:not(.js) .toolbar{display:none}
html:not(.js) .task[hidden]{display:block}
.task{background:var(--card);border:1px solid var(--line);border-radius:12px;margin-bottom:8px;content-visibility:auto;contain-intrinsic-size:auto 50px}
.task>summary{display:grid;grid-template-columns:14px minmax(120px,1fr) minmax(0,2fr) 72px 84px 140px;align-items:center;gap:6px 14px;padding:11px 16px;cursor:pointer;list-style:none}
.task>summary::-webkit-details-marker{display:none}
.task>summary::before{content:"""";width:7px;height:7px;border-right:2px solid var(--mu);border-bottom:2px solid var(--mu);transform:rotate(-45deg);transition:transform .12s}
.task[open]>summary::before{transform:rotate(45deg)}
.task>summary:hover{background:var(--soft);border-radius:12px}
.task[open]>summary{border-bottom:1px solid var(--line);border-radius:12px 12px 0 0}
.tid{font-weight:650;font-size:14px;overflow-wrap:anywhere}
.bs{display:flex;flex-wrap:wrap;gap:4px;min-width:0}
.fc{font-size:13px;color:var(--mu);text-align:right;white-space:nowrap}
.task .sz{font-size:14px}
.task .when{font-size:13px;color:var(--mu);text-align:right;white-space:nowrap}
.body,.stack{display:grid;gap:14px;min-width:0}
.body{padding:14px 16px 16px}
.body .panel{border-radius:10px}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:12px}
.pv{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;min-width:0}
.pv img{display:block;width:100%;height:180px;object-fit:contain;background:var(--soft);cursor:zoom-in}
.pv.zoom{grid-column:1/-1}
.pv.zoom img{height:auto;max-height:80vh;cursor:zoom-out}
.pv figcaption{display:flex;justify-content:space-between;gap:8px;padding:7px 10px;font-size:12.5px;border-top:1px solid var(--line)}
.pv .ph{display:flex;align-items:center;justify-content:center;height:180px;padding:14px;text-align:center;font-size:13px;color:var(--mu);background:var(--soft)}
.log{border:1px solid var(--line);border-radius:10px;overflow:hidden}
.lh{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;padding:8px 12px;background:var(--soft);border-bottom:1px solid var(--line);font-size:13px}
.lh .mu{margin-left:auto;font-size:12.5px}
pre{margin:0;padding:10px 12px;max-height:34em;overflow:auto;background:var(--pre);color:var(--pref);font-size:12.5px;line-height:1.5;white-space:pre-wrap;overflow-wrap:anywhere}
.note{margin:0;padding:10px 12px;font-size:13px;color:var(--mu)}
footer{margin:36px 0 28px;font-size:12.5px;color:var(--mu)}
@media (max-width:760px){
.wrap{padding:0 14px}
h1{font-size:23px}
header.top{padding:20px 0 18px}
.meta{gap:6px 20px}
.cards{grid-template-columns:repeat(2,minmax(0,1fr));gap:10px}
.card{padding:12px 14px}
.card b{font-size:22px}
th,td{padding:7px 10px}
td.bar{width:auto;min-width:40px}
.kinds td:first-child{white-space:nowrap}
.scope{margin-left:4px}
.tm{display:none}
.card.last{grid-column:1/-1}
.task>summary{grid-template-columns:12px minmax(0,1fr) auto;padding:10px 12px}
.task>summary .bs{grid-column:2/-1;grid-row:2}
.task .fc,.task .when{display:none}
.body{padding:12px}
.files thead{display:none}
.files tr{display:grid;grid-template-columns:minmax(0,1fr) auto;gap:4px 10px;padding:9px 12px;border-top:1px solid var(--line)}
.files tr:first-child{border-top:0}
.files td{padding:0;border:0}
.files td:first-child{width:auto;grid-row:1}
.files td:nth-child(2){grid-column:1/-1;grid-row:2}
.files td.n{grid-column:2;grid-row:1}
.gallery{grid-template-columns:repeat(auto-fill,minmax(150px,1fr))}
.pv img,.pv .ph{height:150px}
.toolbar button{padding:8px 10px}
}
@media print{.toolbar{display:none}.task[hidden]{display:block}header.top{background:none;color:inherit}}
";

        public const string Script = @"
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');
  document.addEventListener('click', function (e) {
    var img = e.target;
    if (img.tagName === 'IMG' && img.parentNode.classList.contains('pv')) img.parentNode.classList.toggle('zoom');
  });
  var list = document.getElementById('task-list');
  if (!list) return;
  var tasks = Array.prototype.slice.call(list.children);
  var size = parseInt(list.getAttribute('data-page-size'), 10) || 50;
  var box = document.getElementById('filter'), info = document.getElementById('shown');
  var prev = document.getElementById('prev'), next = document.getElementById('next'), all = document.getElementById('expand');
  var matches = tasks, shown = tasks.filter(function (t) { return !t.hidden; }), page = 0, index = null, timer = 0;
  var count = function (n) { return n.toLocaleString('en-US'); };

  function render() {
    var pages = Math.max(1, Math.ceil(matches.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    var from = page * size, now = matches.slice(from, from + size);
    shown.forEach(function (t) { t.hidden = true; });
    now.forEach(function (t) { unpack(t); t.hidden = false; });
    shown = now;
    info.textContent = !matches.length ? 'No task matches'
      : (now.length < matches.length ? count(from + 1) + '\u2013' + count(from + now.length) + ' of ' : '') + count(matches.length) +
        (matches.length < tasks.length ? ' of ' + count(tasks.length) + ' tasks match' : matches.length === 1 ? ' task' : ' tasks');
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    prev.hidden = next.hidden = pages === 1;
    sync();
  }

  // A task's contents past the first page arrive as the text of a <noscript> (see ReportHtml): the page's own
  // markup, every piece of stored text in it already escaped. Parsed only when the task is shown.
  function unpack(t) {
    var raw = t.querySelector('noscript');
    if (raw) { raw.insertAdjacentHTML('afterend', raw.textContent); raw.remove(); }
  }

  function text(t) {
    var raw = t.querySelector('noscript');
    if (!raw) return t.textContent;
    return t.firstElementChild.textContent + ' ' + raw.textContent.replace(/<[^>]*>/g, ' ')
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '""').replace(/&#39;/g, ""'"").replace(/&amp;/g, '&');
  }

  function sync() {
    all.textContent = shown.length && shown.every(function (t) { return t.open; }) ? 'Collapse all' : 'Expand all';
  }

  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length && !index) index = tasks.map(function (t) { return text(t).toLowerCase(); });
    matches = !words.length ? tasks : tasks.filter(function (t, i) {
      return words.every(function (w) { return index[i].indexOf(w) >= 0; });
    });
    page = 0;
    render();
  }

  function reveal() {
    var id = location.hash.slice(1), task;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    task = id && document.getElementById(id);
    if (!task || task.parentNode !== list) return;
    if (matches.indexOf(task) < 0) { box.value = ''; matches = tasks; }
    page = Math.floor(matches.indexOf(task) / size);
    task.open = true;
    render();
    task.scrollIntoView();
  }

  box.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(filter, 120); });
  prev.addEventListener('click', function () { page--; render(); list.scrollIntoView(); });
  next.addEventListener('click', function () { page++; render(); list.scrollIntoView(); });
  all.addEventListener('click', function () {
    var open = all.textContent === 'Expand all';
    shown.forEach(function (t) { t.open = open; });
    sync();
  });
  list.addEventListener('toggle', sync, true);
  window.addEventListener('hashchange', reveal);
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== box && !e.ctrlKey && !e.metaKey) { e.preventDefault(); box.focus(); }
  });
  render();
  reveal();
})();
";

        /// <summary>The CSP source that allows exactly <see cref="Script"/>: 'sha256-…' of its UTF-8 bytes.</summary>
        public static readonly string ScriptHashSource = HashSource(Script);

        private static string HashSource(string script)
        {
            using (var sha = SHA256.Create())
            {
                return "'sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(script))) + "'";
            }
        }
    }
}
