/**
 * The live page of the metrics server (GET /): polls `/live.json` every second and draws, with uPlot
 * (served by the same server from `/assets/`, no CDN, no build step), log loss and ECE over time
 * (window and total) with the drift detections marked on the timeline, the current reliability
 * diagram, throughput and lag, the current noise-matrix estimate, the quality metrics and the last
 * drift alarms; when `/live.json` has a `group` (scale-out), a Group table: one row per learner of the
 * group (stale and stopped ones greyed), then the group's totals. One HTML document; the charts carry
 * `data-points` and `data-markers` attributes, the Group panel `data-learners`, `data-stale` and `data-stopped` (the
 * browser test reads them).
 *
 * @example
 * res.end(LIVE_PAGE_HTML)
 */
export const LIVE_PAGE_HTML = String.raw`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>logit-stream live</title>
<link rel="stylesheet" href="assets/uPlot.min.css">
<style>
:root{--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f6f7f9;--card:#fff;--blue:#2563eb;--red:#dc2626;--amber:#d97706;--green:#059669}
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:center;gap:1em;padding:.8em 1.4em;background:#111827;color:#f9fafb}
header h1{font-size:1.15em;margin:0;font-weight:600}header .id{color:#9ca3af;font-weight:400}
.pill{padding:.15em .7em;border-radius:1em;font-size:.85em;font-weight:600;background:#374151}
.pill.ok{background:var(--green)}.pill.bad{background:var(--red)}.pill.warn{background:var(--amber)}
#err{margin-left:auto;color:#fca5a5;font-size:.9em}
main{padding:1em 1.4em;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:1em}
.tiles{grid-column:1/-1;display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:1em}
.tile,.card{background:var(--card);border:1px solid var(--line);border-radius:8px}
.tile{padding:.6em .9em}.tile .k{color:var(--muted);font-size:.8em;text-transform:uppercase;letter-spacing:.04em}
.tile .v{font-size:1.45em;font-weight:600;font-variant-numeric:tabular-nums}
.card{padding:.7em .9em;min-width:0}.card h2{font-size:.95em;margin:0 0 .4em;font-weight:600}
.card h2 small{color:var(--muted);font-weight:400}
.chart{min-height:230px}.legend-note{color:var(--muted);font-size:.8em;margin-top:.2em}
.row3{grid-column:1/-1;display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr) minmax(0,1fr);gap:1em}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
td,th{padding:.3em .5em;text-align:right;border-bottom:1px solid var(--line)}th:first-child,td:first-child{text-align:left}
th{color:var(--muted);font-weight:500}
.matrix td{font-size:1.15em;text-align:center}.matrix th{text-align:center}
ul.alarms{list-style:none;margin:0;padding:0;max-height:190px;overflow:auto}
ul.alarms li{padding:.25em 0;border-bottom:1px solid var(--line);display:flex;justify-content:space-between;gap:.6em}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em;vertical-align:middle}
.muted{color:var(--muted)}
.group{grid-column:1/-1}.group tr.stale td,.group tr.stopped td{color:#9ca3af}.group tr.self td:first-child{font-weight:600}
.group tr.totals td{font-weight:600;border-top:2px solid var(--line);border-bottom:none}
.u-legend{font-size:.85em}
</style></head><body>
<header><h1>logit-stream <span class="id" id="lid">…</span></h1>
<span class="pill" id="status">…</span><span class="pill" id="ready">…</span><span id="err"></span></header>
<main>
<section class="tiles">
<div class="tile"><div class="k">events</div><div class="v" id="t-events">–</div></div>
<div class="tile"><div class="k">events / s</div><div class="v" id="t-tp">–</div></div>
<div class="tile"><div class="k">model version</div><div class="v" id="t-mv">–</div></div>
<div class="tile"><div class="k">consumer lag</div><div class="v" id="t-lag">–</div></div>
<div class="tile"><div class="k">rejected</div><div class="v" id="t-rej">–</div></div>
<div class="tile"><div class="k">drift alarms (live model)</div><div class="v" id="t-drift">–</div></div>
</section>
<section class="card"><h2>Log loss <small>window (blue), since start (grey) · drift: red = live model, dashed = reference</small></h2><div class="chart" id="c-loss" data-points="0" data-markers="0"></div></section>
<section class="card"><h2>Expected calibration error <small>15 bins · window (blue) and since start (grey) · drift marked as on the left</small></h2><div class="chart" id="c-ece" data-points="0" data-markers="0"></div></section>
<section class="card"><h2>Reliability diagram <small>current window: observed frequency vs mean predicted p</small></h2><div class="chart" id="c-rel" data-points="0"></div></section>
<section class="card"><h2>Throughput and lag <small id="lag-note">events/s (left) · lag (right)</small></h2><div class="chart" id="c-tp" data-points="0"></div></section>
<section class="row3">
<div class="card"><h2>Quality <small>prequential</small></h2><table id="quality"><thead><tr><th></th><th>window</th><th>total</th></tr></thead><tbody></tbody></table></div>
<div class="card"><h2>Noise matrix <small id="noise-note"></small></h2>
<table class="matrix"><thead><tr><th>true \ observed</th><th>0</th><th>1</th></tr></thead>
<tbody><tr><th>0</th><td id="n00">–</td><td id="n01">–</td></tr><tr><th>1</th><td id="n10">–</td><td id="n11">–</td></tr></tbody></table>
<div class="legend-note" id="noise-extra"></div></div>
<div class="card"><h2>Drift alarms <small>newest first</small></h2><ul class="alarms" id="alarms"><li class="muted">none yet</li></ul></div>
</section>
<section class="card group" id="group" hidden data-learners="0" data-stale="0" data-stopped="0"><h2>Group <span id="group-id"></span> <small id="group-note"></small></h2>
<table id="group-table"><thead><tr><th>learner</th><th>events</th><th>model version</th><th>events / s</th><th>log loss (total)</th><th>log loss (window)</th><th>accuracy</th><th>ECE (window)</th><th>lag ms</th><th>report age s</th></tr></thead><tbody></tbody></table></section>
</main>
<script src="assets/uPlot.iife.min.js"></script>
<script>
(function(){
var $=function(id){return document.getElementById(id)};
var fmt=function(v,d){return v==null||!isFinite(v)?'–':Number(v).toFixed(d==null?4:d)};
var int=function(v){return v==null?'–':Math.round(v).toLocaleString('en-US')};
var charts={};var drift=[];
function width(el){return Math.max(300,el.clientWidth)}
function markers(u){
  var ctx=u.ctx,b=u.bbox,n=0;ctx.save();
  for(var i=0;i<drift.length;i++){var d=drift[i];var x=Math.round(u.valToPos(d.position,'x',true));
    if(!(x>=b.left&&x<=b.left+b.width))continue;n++;
    ctx.strokeStyle=d.model==='live'?'rgba(220,38,38,.85)':'rgba(217,119,6,.7)';ctx.lineWidth=2*devicePixelRatio;
    ctx.setLineDash(d.model==='live'?[]:[6*devicePixelRatio,4*devicePixelRatio]);
    ctx.beginPath();ctx.moveTo(x,b.top);ctx.lineTo(x,b.top+b.height);ctx.stroke();}
  ctx.restore();u.root.parentNode.setAttribute('data-markers',String(n));
}
function timeChart(id,label,fmtY){
  var el=$(id);return new uPlot({width:width(el),height:230,legend:{live:false},scales:{x:{time:false}},
    series:[{label:'events',value:function(u,v){return int(v)}},
      {label:'window',stroke:'#2563eb',width:2,value:function(u,v){return fmtY(v)}},
      {label:'total',stroke:'#9ca3af',width:1.5,dash:[6,4],value:function(u,v){return fmtY(v)}}],
    axes:[{label:'events',values:function(u,vs){return vs.map(function(v){return v>=1e6?(v/1e6)+'M':v>=1e3?(v/1e3)+'k':v})}},{label:label,size:60}],
    hooks:{draw:[markers]}},[[],[],[]],el);
}
function relChart(){
  var el=$('c-rel');return new uPlot({width:width(el),height:230,legend:{live:false},scales:{x:{time:false,range:[0,1]},y:{range:[0,1]}},
    series:[{label:'mean p',value:function(u,v){return fmt(v,3)}},
      {label:'perfect calibration',stroke:'#9ca3af',dash:[4,4],width:1,points:{show:false},spanGaps:true},
      {label:'observed',stroke:'#059669',width:2,spanGaps:true,points:{size:7,fill:'#059669'},value:function(u,v){return fmt(v,3)}}],
    axes:[{label:'mean predicted p'},{label:'observed P(y = 1)',size:60}]},[[],[],[]],el);
}
function tpChart(){
  var el=$('c-tp');return new uPlot({width:width(el),height:230,legend:{live:false},scales:{x:{time:false},lag:{}},
    series:[{label:'events',value:function(u,v){return int(v)}},
      {label:'events/s',stroke:'#2563eb',width:2,scale:'y',value:function(u,v){return int(v)}},
      {label:'lag',stroke:'#d97706',width:2,scale:'lag',value:function(u,v){return v==null?'–':int(v)}}],
    axes:[{label:'events',values:function(u,vs){return vs.map(function(v){return v>=1e6?(v/1e6)+'M':v>=1e3?(v/1e3)+'k':v})}},{label:'events / s',size:70},{scale:'lag',side:1,label:'lag',size:60,grid:{show:false}}]},[[],[],[]],el);
}
function setPoints(id,n){$(id).setAttribute('data-points',String(n))}
function esc(v){return String(v).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]})}
function renderGroup(g,self){
  var el=$('group');if(!g){el.hidden=true;return;}
  el.hidden=false;el.setAttribute('data-learners',String(g.learners.length));el.setAttribute('data-stale',String(g.stale.length));el.setAttribute('data-stopped',String(g.stopped.length));
  $('group-id').textContent=g.groupId;
  $('group-note').textContent=g.totals.learners+' live · '+g.totals.stale+' stale (no report for '+fmt(g.staleAfterMs/1000,0)+' s) · '+g.totals.stopped+' stopped · quality weighted by labelled events';
  var row=function(x,cls){return '<tr class="'+cls+(x.learnerId===self?' self':'')+'"><td>'+esc(x.learnerId)+(cls==='live'?'':' <small>('+cls+')</small>')+'</td><td>'+int(x.events)+'</td><td>'+int(x.modelVersion)+'</td><td>'+int(x.throughput)+'</td><td>'+fmt(x.logLossTotal)+'</td><td>'+fmt(x.logLossWindow)+'</td><td>'+fmt(x.accuracyTotal)+'</td><td>'+fmt(x.eceWindow)+'</td><td>'+int(x.lagMs)+'</td><td>'+fmt(x.ageMs/1000,1)+'</td></tr>'};
  var t=g.totals,mv=t.modelVersionMin==null?'–':t.modelVersionMin===t.modelVersionMax?int(t.modelVersionMin):int(t.modelVersionMin)+'–'+int(t.modelVersionMax);
  $('group-table').tBodies[0].innerHTML=g.learners.map(function(x){return row(x,'live')}).join('')+g.stale.map(function(x){return row(x,'stale')}).join('')+g.stopped.map(function(x){return row(x,'stopped')}).join('')+
    '<tr class="totals"><td>group ('+t.learners+' live)</td><td>'+int(t.events)+'</td><td>'+mv+'</td><td>'+int(t.throughput)+'</td><td>'+fmt(t.logLoss)+'</td><td>'+fmt(t.logLossWindow)+'</td><td>'+fmt(t.accuracy)+'</td><td>'+fmt(t.eceWindow)+'</td><td>'+int(t.maxLagMs)+'</td><td></td></tr>';
}
function render(d){
  $('lid').textContent=d.learnerId;
  var st=d.health.status;$('status').textContent=st;$('status').className='pill '+(st==='running'?'ok':st==='starting'?'warn':'bad');
  $('ready').textContent=d.ready?'ready':'not ready'+(d.readiness&&d.readiness.reason?': '+d.readiness.reason:'');$('ready').className='pill '+(d.ready?'ok':'warn');
  var r=d.report,h=d.history;drift=d.drift||[];
  $('t-events').textContent=int(d.counters.eventsIn);$('t-rej').textContent=int(d.counters.eventsRejected);
  var lagTotal=d.lag.length?d.lag.reduce(function(a,l){return a+l.lag},0):null;
  $('t-lag').textContent=lagTotal==null?(r&&r.lagMs!=null?int(r.lagMs)+' ms':'–'):int(lagTotal);
  $('t-drift').textContent=int(drift.filter(function(x){return x.model==='live'}).length);
  renderGroup(d.group,d.learnerId);
  if(!r){$('err').textContent='waiting for the first metrics report';return;}
  $('err').textContent='';
  $('t-tp').textContent=int(r.throughput);$('t-mv').textContent=int(r.modelVersion);
  if(!charts.loss){charts.loss=timeChart('c-loss','log loss',function(v){return fmt(v)});charts.ece=timeChart('c-ece','ECE',function(v){return fmt(v)});charts.rel=relChart();charts.tp=tpChart();}
  charts.loss.setData([h.events,h.logLossWindow,h.logLossTotal]);setPoints('c-loss',h.events.length);
  charts.ece.setData([h.events,h.eceWindow,h.eceTotal]);setPoints('c-ece',h.events.length);
  var useConsumer=h.consumerLag.some(function(v){return v!=null});
  $('lag-note').textContent='events/s (left) · '+(useConsumer?'consumer lag, messages':'event lag, ms')+' (right)';
  charts.tp.setData([h.events,h.throughput,useConsumer?h.consumerLag:h.lagMs]);setPoints('c-tp',h.events.length);
  var xs=[0],diag=[0],obs=[null];
  r.reliability.forEach(function(b){if(b.count>0&&b.meanP!=null&&b.meanY!=null){xs.push(b.meanP);diag.push(b.meanP);obs.push(b.meanY)}});
  xs.push(1);diag.push(1);obs.push(null);charts.rel.setData([xs,diag,obs]);setPoints('c-rel',xs.length-2);
  var rows=[['log loss','logLoss'],['Brier','brier'],['ECE','ece'],['ROC AUC','auc'],['accuracy','accuracy'],['labelled events','count']];
  $('quality').tBodies[0].innerHTML=rows.map(function(x){var k=x[1],dd=k==='count'?0:4;return '<tr><td>'+x[0]+'</td><td>'+(k==='count'?int(r.window[k]):fmt(r.window[k],dd))+'</td><td>'+(k==='count'?int(r.total[k]):fmt(r.total[k],dd))+'</td></tr>'}).join('');
  var n=r.noise;$('n00').textContent=fmt(1-n.rho0,3);$('n01').textContent=fmt(n.rho0,3);$('n10').textContent=fmt(n.rho1,3);$('n11').textContent=fmt(1-n.rho1,3);
  $('noise-note').textContent='P(observed | true) · estimator '+n.estimator;
  $('noise-extra').textContent='correction '+n.correction+' · evidence '+int(n.evidence)+' · trusted events '+int(n.trustedEvents);
  var items=drift.slice(-30).reverse();
  $('alarms').innerHTML=items.length?items.map(function(x){return '<li><span><span class="dot" style="background:'+(x.model==='live'?'#dc2626':'#d97706')+'"></span>'+x.detector+' · '+x.model+'</span><span class="muted">event '+int(x.position)+(x.offset!=null?' · offset '+int(x.offset):'')+'</span></li>'}).join(''):'<li class="muted">none yet</li>';
}
function tick(){fetch('live.json',{cache:'no-store'}).then(function(res){return res.json()}).then(render).catch(function(e){$('err').textContent='cannot reach the learner: '+e});}
window.addEventListener('resize',function(){for(var k in charts){var el=charts[k].root.parentNode;charts[k].setSize({width:width(el),height:230})}});
tick();setInterval(tick,1000);
})();
</script></body></html>
`;
