/**
 * The small live page of the metrics server (GET /): polls `/metrics.json` every two seconds and
 * draws window and total log loss and ECE, the reliability diagram of the window, throughput and
 * lag, and the drift alarms. One self-contained HTML document, no external assets.
 *
 * @example
 * res.end(LIVE_PAGE_HTML)
 */
export const LIVE_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>logit-stream</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.2em}
table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:right;border-bottom:1px solid #ddd}
.alarm{color:#b00;font-weight:bold}#err{color:#b00}svg{border:1px solid #ccc;background:#fafafa}
</style></head><body>
<h1>logit-stream — <span id="id">…</span></h1>
<div id="err"></div>
<table><thead><tr><th></th><th>window</th><th>total</th></tr></thead><tbody id="q"></tbody></table>
<p>events <b id="ev">–</b> · model version <b id="mv">–</b> · <b id="tp">–</b> events/s · lag <b id="lag">–</b> ms</p>
<h2>Reliability (window)</h2>
<svg id="rel" width="320" height="320" viewBox="0 0 1 1" preserveAspectRatio="none"></svg>
<h2>Loss over time</h2>
<svg id="hist" width="640" height="160"></svg>
<h2>Drift</h2><ul id="drift"></ul>
<script>
const hist=[];const f=(v,d=4)=>v==null?'–':Number(v).toFixed(d);
async function tick(){try{const r=await fetch('metrics.json');if(r.status===204){document.getElementById('err').textContent='no report yet';return;}
const m=await r.json();document.getElementById('err').textContent='';document.getElementById('id').textContent=m.learnerId;
const rows=[['log loss','logLoss'],['ECE','ece'],['Brier','brier'],['accuracy','accuracy'],['AUC','auc']];
document.getElementById('q').innerHTML=rows.map(([n,k])=>'<tr><th>'+n+'</th><td>'+f(m.window[k])+'</td><td>'+f(m.total[k])+'</td></tr>').join('');
document.getElementById('ev').textContent=m.events.seen;document.getElementById('mv').textContent=m.modelVersion;
document.getElementById('tp').textContent=f(m.throughput,0);document.getElementById('lag').textContent=m.lagMs==null?'–':m.lagMs;
let s='<line x1="0" y1="1" x2="1" y2="0" stroke="#999" stroke-width="0.005"/>';
for(const b of m.reliability){if(b.count>0&&b.meanY!=null){const w=b.upper-b.lower;s+='<rect x="'+b.lower+'" y="'+(1-b.meanY)+'" width="'+(w*0.9)+'" height="'+b.meanY+'" fill="#4a7"/>';}}
document.getElementById('rel').innerHTML=s;
hist.push(m.window.logLoss);if(hist.length>200)hist.shift();const mx=Math.max(0.8,...hist.filter(x=>x!=null));
document.getElementById('hist').innerHTML='<polyline fill="none" stroke="#36c" stroke-width="2" points="'+hist.map((v,i)=>(i*640/200)+','+(160-(v??0)/mx*150)).join(' ')+'"/>';
document.getElementById('drift').innerHTML=Object.entries(m.drift.detectors).map(([k,d])=>'<li class="'+(d.detections>0?'alarm':'')+'">'+k+': '+d.detections+' detections'+(d.lastOffset!=null?' (last at offset '+d.lastOffset+')':'')+(d.warning?' — warning':'')+'</li>').join('')+'<li>score PSI '+f(m.drift.psi.score)+'</li>';
}catch(e){document.getElementById('err').textContent='cannot reach the learner: '+e;}}
tick();setInterval(tick,2000);
</script></body></html>
`;
