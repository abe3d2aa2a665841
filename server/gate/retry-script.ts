// The one script the gate's own pages run (room full, closed, slow down): it counts down to the
// next try the page makes by itself (its meta refresh, which also works without JavaScript),
// and submits the language choice. Plain module (no "server-only"): the pages' Content
// Security Policy (server/security-headers.ts) allows exactly this script by its hash, so no
// nonce is needed and the pages stay static strings.
//
// The countdown element carries the seconds and the sentence around the number
// (data-seconds, data-before, data-after) and what to say once it is time (data-retrying). At
// 0 the meta refresh reloads the page; one second later, if it did not (some browsers let
// people turn meta refresh off), the script reloads it.

export const retryScript =
  '(function(){var c=document.getElementById("countdown");if(c){var end=Date.now()+1000*Number(c.getAttribute("data-seconds")),' +
  'show=function(){var left=Math.ceil((end-Date.now())/1000);c.textContent=left>0?c.getAttribute("data-before")+left+c.getAttribute("data-after"):c.getAttribute("data-retrying");' +
  "if(left<=-1){clearInterval(timer);location.reload()}},timer=setInterval(show,1000);show()}" +
  'var s=document.getElementById("lang-select");if(s){s.addEventListener("change",function(){s.form.submit()})}})();';

/** sha256 of retryScript, base64, as a CSP source (retry-script.test.ts checks it). */
export const retryScriptHash = "'sha256-lL7shcD3R6QVeZcqWGt+PHHaacgyf+fJph3v/OG2Hps='";
