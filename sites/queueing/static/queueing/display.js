// 叫号显示屏: polls the hall's calls every 2 s; a new call (or a recall: its key changes)
// is shown on top and spoken with the browser's speechSynthesis (Chinese voice).
(function () {
  var script = document.currentScript;
  var url = script.getAttribute("data-url");
  var seen = null; // keys already announced; the first answer is shown, not spoken
  var voiceOn = false;
  var spoken = [];
  window.hallSpoken = spoken; // what was announced (read by the browser tests)

  function speak(text) {
    spoken.push(text);
    if (!voiceOn || !("speechSynthesis" in window)) return;
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    u.rate = 0.9;
    window.speechSynthesis.speak(u);
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function render(data) {
    var body = document.getElementById("calls");
    body.textContent = "";
    data.calls.forEach(function (c) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(c.label));
      tr.appendChild(cell(c.window + "号窗口"));
      body.appendChild(tr);
    });
    if (data.calls.length) {
      var c = data.calls[0];
      document.getElementById("now").textContent = "请 " + c.label + " 到 " + c.window + " 号窗口";
    }
    document.getElementById("board").textContent = data.board
      .map(function (b) { return b.name + " 等候 " + b.waiting + " 人"; })
      .join("　");
    var fresh = data.calls.filter(function (c) { return seen && !seen[c.key]; });
    fresh.reverse().forEach(function (c) { speak(c.text); speak(c.text); });
    seen = seen || {};
    data.calls.forEach(function (c) { seen[c.key] = true; });
  }

  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) render(data); })
      .catch(function () {})
      .then(function () { setTimeout(poll, 2000); });
  }

  document.getElementById("sound").addEventListener("click", function (e) {
    voiceOn = true; // browsers speak only after a person has interacted with the page
    e.target.textContent = "语音播报已开启";
    speak("语音播报已开启");
  });
  poll();
})();
