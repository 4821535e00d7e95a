// The idle timeout's warning (F10 point 2): a few minutes before the server would log the
// user out, a banner with a button that extends the session (a POST to security:stay).
// Every request resets the clock: page loads and htmx requests, in any tab (the time of the
// last one is shared through localStorage; it is only a timestamp, never case data).
(() => {
  const box = document.getElementById("idle-warning");
  if (!box) return;
  const idle = Number(box.dataset.idleSeconds) * 1000;
  const warn = Number(box.dataset.warnSeconds) * 1000;
  const KEY = "trappen-last-request";
  const touch = () => {
    try { localStorage.setItem(KEY, String(Date.now())); } catch (e) { /* private mode */ }
  };
  const last = () => {
    try { return Number(localStorage.getItem(KEY)) || Date.now(); } catch (e) { return Date.now(); }
  };
  touch();
  document.body.addEventListener("htmx:afterRequest", touch);
  const token = () => {
    const headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  };
  box.querySelector("[data-idle-stay]").addEventListener("click", () => {
    fetch(box.dataset.stayUrl, {
      method: "POST", headers: { "X-CSRFToken": token() }, credentials: "same-origin",
    }).then((response) => {
      if (response.ok) { touch(); box.hidden = true; }
      else { window.location.reload(); } // already logged out: the login page says so
    });
  });
  setInterval(() => {
    const left = idle - (Date.now() - last());
    box.hidden = !(left <= warn && left > 0);
  }, 5000);
})();
