// The workshop room's page in the browser (widgets/workshop/room_page.py renders it; the server is
// workbench/workshop/room_server.py). Clicks go to /api/<action> as JSON; every second the page asks
// /api/state for changes (only what changed comes back). Text from people and customers is only
// ever set as textContent; the HTML fragments (ranking, board, statements, journey notes) are made
// and escaped by the server.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var state = data.state;
  var quotes = data.quotes;          // painpoint id -> quotes under the current filters
  var quoteIds = data.quote_ids;     // painpoint id -> the passage ids of those quotes ("" when unknown)
  var quoteIndex = {};               // painpoint id -> the quote shown
  var timerEnds = null;              // ms since epoch (this browser's clock) when the round timer runs out
  var pollFailures = 0;
  var plotly = null;                 // a promise of window.Plotly, loaded with the Journey tab
  var $ = function (id) { return document.getElementById(id); };

  function request(method, url, body) {
    var options = {method: method, cache: "no-store", credentials: "same-origin", headers: {}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-Workbench-Room"] = "1";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) { throw new Error(answer.error || ("the workshop answered " + response.status)); }
        return answer;
      });
    });
  }

  function showMessage(box, text, css) {
    box.textContent = "";
    if (!text) { return; }
    var span = document.createElement("span");
    span.className = css || "wb-message";
    span.setAttribute("role", "status");
    span.textContent = text;
    box.appendChild(span);
  }

  function showError(text) { showMessage($("wb-error"), text, "wb-error"); }

  function cardOf(id) { return document.querySelector('.wb-card[data-painpoint="' + CSS.escape(id) + '"]'); }

  // ------------------------------------------------------------------ the session as this person sees it

  function render(next) {
    state = next;
    $("wb-status").textContent = state.status;
    $("wb-join").classList.toggle("wb-hidden", !!state.joined);
    document.querySelectorAll(".wb-card[data-painpoint]").forEach(function (card) {
      var id = card.getAttribute("data-painpoint"), mine = (state.cards[id] || {}).mine || 0;
      card.querySelector(".wb-count").textContent = (state.cards[id] || {}).count || "";
      card.querySelector(".wb-mine").textContent = mine ? "(yours: " + mine + ")" : "";
      card.querySelector(".wb-vote").disabled = !!state.locked;
      card.querySelector(".wb-unvote").disabled = !!state.locked || !mine;
      showStar(card);
    });
    $("wb-ranking").innerHTML = state.ranking_html;      // made and escaped by the server
    $("wb-board").innerHTML = state.board_html;
    $("wb-statements").innerHTML = state.statements_html;
    var left = state.timer.seconds_left;
    timerEnds = (left === null || left === undefined) ? null : Date.now() + left * 1000;
    tick();
  }

  function tick() {
    var box = $("wb-timer"), text = "";
    if (timerEnds !== null) {
      var left = (timerEnds - Date.now()) / 1000;
      if (left <= 0) {
        text = "Time's up" + (state.timer.close_at_time_up ? ": voting is closed" : "");
      } else {
        var whole = Math.ceil(left);
        text = "Time left " + Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
      }
    }
    if (box.textContent === text) { return; }
    box.textContent = "";
    if (text) {
      var span = document.createElement("span");
      span.className = text.indexOf("Time's up") === 0 ? "wb-timer wb-timeup" : "wb-timer";
      span.setAttribute("role", "timer");
      span.textContent = text;
      box.appendChild(span);
    }
  }

  // Asks for news and waits: the server answers as soon as the session changes (or after a while with
  // "same"). Dropped: an answer older than what the page shows (a click's own answer came first), and one
  // asked for before this person joined (it is about someone without a name).
  function poll() {
    request("GET", "api/state?wait=1&since=" + encodeURIComponent(state.revision)).then(function (answer) {
      if (pollFailures) { pollFailures = 0; showError(""); }
      var samePerson = !state.joined || answer.name === state.name;
      if (!answer.same && answer.revision > state.revision && samePerson) { render(answer); }
    }).catch(function () {
      pollFailures += 1;
      if (pollFailures > 1) { showError("Lost contact with the workshop; retrying…"); }
    }).finally(function () {
      setTimeout(poll, pollFailures ? data.poll_ms * (1 + Math.min(pollFailures, 5)) : 50);
    });
  }

  function act(action, body, messageBox) {
    return request("POST", "api/" + action, body).then(function (answer) {
      showError("");
      render(answer.state);
      var target = answer.target || "";
      var boxes = {"": $("wb-message"), "join": $("wb-message"), "board": $("wb-board-message"),
                   "statements": $("wb-hmw-message")};
      document.querySelectorAll(".wb-card-message").forEach(function (b) { b.textContent = ""; });
      [$("wb-message"), $("wb-board-message"), $("wb-hmw-message")].forEach(function (b) { b.textContent = ""; });
      var box = boxes[target] || (cardOf(target) ? cardOf(target).querySelector(".wb-card-message") : messageBox);
      showMessage(box || $("wb-message"), answer.message);
      return answer;
    }).catch(function (error) { showError(error.message); return {ok: false}; });
  }

  // ------------------------------------------------------------------ header and tabs

  $("wb-join").addEventListener("submit", function (event) {
    event.preventDefault();
    act("join", {name: $("wb-name").value});
  });

  document.querySelectorAll("[role=tab]").forEach(function (tab) {
    tab.addEventListener("click", function () {
      document.querySelectorAll("[role=tab]").forEach(function (other) {
        var selected = other === tab;
        other.setAttribute("aria-selected", selected ? "true" : "false");
        $(other.getAttribute("aria-controls")).hidden = !selected;
      });
      if (tab.id === "wb-tab-journey") { showJourney(); }
    });
  });

  // ------------------------------------------------------------------ pain points: quotes, votes, filters

  function showStar(card) {
    var button = card.querySelector(".wb-star"), quote = button.getAttribute("data-quote") || "";
    button.textContent = (state.stars || {})[quote] || "☆ Star quote";
    button.disabled = !quote;
  }

  function showQuote(card) {
    var id = card.getAttribute("data-painpoint"), list = quotes[id] || [], box = card.querySelector(".wb-quote-box");
    var position = card.querySelector(".wb-position");
    box.textContent = "";
    if (!list.length) {
      var none = document.createElement("div");
      none.className = "wb-muted";
      none.textContent = "No quote for this filter.";
      box.appendChild(none);
      position.textContent = "No quote";
      card.querySelector(".wb-star").setAttribute("data-quote", "");
      showStar(card);
      return;
    }
    var at = (((quoteIndex[id] || 0) % list.length) + list.length) % list.length;
    card.querySelector(".wb-star").setAttribute("data-quote", (quoteIds[id] || [])[at] || "");
    showStar(card);
    var quote = document.createElement("blockquote");
    quote.className = "wb-quote tex2jax_ignore mathjax_ignore";
    quote.textContent = "“" + list[at] + "”";
    box.appendChild(quote);
    position.textContent = "Quote " + (at + 1) + " of " + list.length;
  }

  $("wb-cards").addEventListener("click", function (event) {
    var button = event.target.closest("button"), card = event.target.closest(".wb-card");
    if (!button || !card) { return; }
    var id = card.getAttribute("data-painpoint");
    if (button.classList.contains("wb-next") || button.classList.contains("wb-previous")) {
      quoteIndex[id] = (quoteIndex[id] || 0) + (button.classList.contains("wb-next") ? 1 : -1);
      showQuote(card);
    } else if (button.classList.contains("wb-vote")) {
      act("vote", {painpoint: id}, card.querySelector(".wb-card-message"));
    } else if (button.classList.contains("wb-unvote")) {
      act("unvote", {painpoint: id}, card.querySelector(".wb-card-message"));
    } else if (button.classList.contains("wb-star")) {
      act("star", {painpoint: id, quote: button.getAttribute("data-quote") || ""}, card.querySelector(".wb-card-message"));
    }
  });

  var filterTimer = null;
  function filtersChanged() {
    var query = [];
    document.querySelectorAll("[data-filter]").forEach(function (control) {
      query.push(control.getAttribute("data-filter") + "=" + encodeURIComponent(control.value));
    });
    request("GET", "api/cards?" + query.join("&")).then(function (answer) {
      var visible = {};
      answer.visible.forEach(function (id) { visible[id] = true; });
      quotes = answer.quotes;
      quoteIds = answer.quote_ids;
      quoteIndex = {};
      document.querySelectorAll("#wb-cards .wb-card").forEach(function (card) {
        var id = card.getAttribute("data-painpoint");
        card.classList.toggle("wb-hidden", !visible[id]);
        if (visible[id]) { showQuote(card); }
      });
      showMessage($("wb-summary"), answer.summary, "wb-muted");
    }).catch(function (error) { showError(error.message); });
  }
  document.querySelectorAll("[data-filter]").forEach(function (control) {
    control.addEventListener(control.tagName === "INPUT" ? "input" : "change", function () {
      clearTimeout(filterTimer);
      filterTimer = setTimeout(filtersChanged, control.tagName === "INPUT" ? 250 : 0);
    });
  });
  $("wb-clear").addEventListener("click", function () {
    document.querySelectorAll("[data-filter]").forEach(function (control) { control.value = ""; });
    filtersChanged();
  });

  // ------------------------------------------------------------------ personas

  var personaPicker = $("wb-persona");
  if (personaPicker) {
    personaPicker.addEventListener("change", function () {
      document.querySelectorAll(".wb-persona[data-persona]").forEach(function (card) {
        card.classList.toggle("wb-hidden", card.getAttribute("data-persona") !== personaPicker.value);
      });
    });
  }

  // ------------------------------------------------------------------ journey (plotly loaded on first view)

  var journeyValue = "sentiment_mean";
  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = "static/plotly.min.js";
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { reject(new Error("the charts could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return plotly;
  }

  function draw(element, figure, empty) {
    if (!element) { return; }
    if (!figure) { element.textContent = empty; return; }
    return loadPlotly().then(function (Plotly) { return Plotly.react(element, figure.data, figure.layout, figure.config); });
  }

  function showJourney() {
    if (!$("wb-heatmap")) { return; }
    var persona = $("wb-journey-persona") ? $("wb-journey-persona").value : "";
    request("GET", "api/journey?value=" + encodeURIComponent(journeyValue) + "&persona=" + encodeURIComponent(persona))
      .then(function (answer) {
        $("wb-journey-notes").innerHTML = answer.notes_html;   // made and escaped by the server
        draw($("wb-heatmap"), answer.heatmap, "No journey map in these results.");
        draw($("wb-emotion"), answer.emotion, "No personas, so no emotion curve.");
      }).catch(function (error) { showError(error.message); });
  }
  document.querySelectorAll("[data-journey-value]").forEach(function (button) {
    button.addEventListener("click", function () {
      journeyValue = button.getAttribute("data-journey-value");
      document.querySelectorAll("[data-journey-value]").forEach(function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      showJourney();
    });
  });
  if ($("wb-journey-persona")) { $("wb-journey-persona").addEventListener("change", showJourney); }

  // ------------------------------------------------------------------ prioritise: board and statements

  function showPlace() {
    var id = $("wb-board-painpoint").value, place = (state.my_places || {})[id];
    $("wb-impact").value = place ? place[0] : (data.board_defaults[id] || 3);
    if (place) { $("wb-effort").value = place[1]; }
    $("wb-impact-value").textContent = $("wb-impact").value;
    $("wb-effort-value").textContent = $("wb-effort").value;
  }
  ["wb-impact", "wb-effort"].forEach(function (id) {
    $(id).addEventListener("input", function () { $(id + "-value").textContent = $(id).value; });
  });
  $("wb-board-painpoint").addEventListener("change", showPlace);
  $("wb-place").addEventListener("click", function () {
    act("place", {painpoint: $("wb-board-painpoint").value, impact: Number($("wb-impact").value),
                  effort: Number($("wb-effort").value)}, $("wb-board-message"));
  });

  function showCites() {
    var picker = $("wb-hmw-quote");
    picker.textContent = "";
    (data.cites[$("wb-hmw-painpoint").value] || [["No quote", ""]]).forEach(function (choice) {
      var option = document.createElement("option");
      option.textContent = choice[0];
      option.value = choice[1];
      picker.appendChild(option);
    });
  }
  $("wb-hmw-painpoint").addEventListener("change", showCites);
  $("wb-hmw-add").addEventListener("click", function () {
    act("statement", {painpoint: $("wb-hmw-painpoint").value, text: $("wb-hmw-text").value,
                      quote: $("wb-hmw-quote").value}, $("wb-hmw-message")).then(function (answer) {
      if (answer.ok) { $("wb-hmw-text").value = ""; }
    });
  });

  // ------------------------------------------------------------------ start
  showPlace();
  showCites();
  document.querySelectorAll("#wb-cards .wb-card").forEach(showQuote);
  render(state);
  ["wb-place", "wb-hmw-add"].forEach(function (id) { $(id).disabled = false; });
  $("wb-join").querySelector("button").disabled = false;  // clicks work from now on
  setInterval(tick, 250);
  setTimeout(poll, 50);
})();
