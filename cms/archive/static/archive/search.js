/* Search in the static archive: loads the page's index.json (written at export time from the
   live search index) and shows the results of the query in the address (?q=, kind, topic,
   level) as the live search page does. Matching ignores case and accents (German umlauts:
   "Übung", "ubung" and "uebung" are the same word), each word of the query must begin a word
   of the item; titles rank before text, text before transcript and caption cues. A match in a
   cue links to its second (page?t=SECONDS). Everything is built with textContent: the index's
   text is never parsed as HTML. */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;

  function fold(text, german) {
    var folded = String(text || "").toLowerCase().replace(/ß/g, "ss");
    if (german) folded = folded.replace(/([aou])e/g, "$1");
    return folded.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function words(text, german) {
    return fold(text, german).match(WORD) || [];
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  function clock(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var secs = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(secs) : minutes + ":" + pad(secs);
  }

  function withTime(url, seconds) {
    var hash = url.indexOf("#");
    var base = hash < 0 ? url : url.slice(0, hash);
    var fragment = hash < 0 ? "" : url.slice(hash);
    return base + (base.indexOf("?") < 0 ? "?" : "&") + "t=" + seconds + fragment;
  }

  // How well one field matches one term: 2 for a whole word, 1 for the start of a word.
  function matchIn(fieldWords, term) {
    var best = 0;
    for (var i = 0; i < fieldWords.length && best < 2; i++) {
      if (fieldWords[i] === term) best = 2;
      else if (fieldWords[i].lastIndexOf(term, 0) === 0) best = 1;
    }
    return best;
  }

  function prepare(documents, german) {
    documents.forEach(function (doc, order) {
      doc.order = order;
      doc.w = {
        title: words(doc.title, german),
        keywords: words(doc.keywords, german),
        text: words(doc.excerpt + " " + doc.text, german),
      };
      doc.cueWords = doc.cues.map(function (cue) { return words(cue[1], german); });
    });
  }

  function score(doc, terms, query, german) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var title = matchIn(doc.w.title, term);
      var keywords = matchIn(doc.w.keywords, term);
      var text = matchIn(doc.w.text, term);
      var cue = 0;
      for (var c = 0; c < doc.cueWords.length && !cue; c++) cue = matchIn(doc.cueWords[c], term);
      if (!(title || keywords || text || cue)) return 0;
      total += title * 8 + keywords * 4 + text * 2 + cue;
    }
    if (fold(doc.title, german).trim() === fold(query, german).trim()) total += 20;
    return total;
  }

  function bestCue(doc, terms) {
    var best = null;
    var bestCount = 0;
    doc.cueWords.forEach(function (cueWords, index) {
      var count = terms.filter(function (term) { return matchIn(cueWords, term); }).length;
      if (count > bestCount) {
        best = doc.cues[index];
        bestCount = count;
      }
    });
    return best;
  }

  function bestSentence(doc, terms, german) {
    var text = [doc.excerpt, doc.text, doc.keywords].join(" ");
    var best = "";
    var bestCount = 0;
    text.split(/(?<=[.!?])\s+/).forEach(function (sentence) {
      var sentenceWords = words(sentence, german);
      var count = terms.filter(function (term) { return matchIn(sentenceWords, term); }).length;
      if (count > bestCount) {
        best = sentence;
        bestCount = count;
      }
    });
    best = best || doc.excerpt;
    if (best.length > 240) best = best.slice(0, 240).replace(/\s+\S*$/, "") + " …";
    return best;
  }

  // ``text`` into ``parent``, each word beginning with a term in <mark>.
  function highlight(parent, text, terms, german) {
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (piece, index) {
      var folded = fold(piece, german);
      var hit = index % 2 === 1 && terms.some(function (term) {
        return folded.lastIndexOf(term, 0) === 0;
      });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = piece;
        parent.appendChild(mark);
      } else if (piece) {
        parent.appendChild(document.createTextNode(piece));
      }
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderHit(index, doc, terms, german, messages) {
    var item = element("li", "search-hit");
    var meta = element("p", "search-hit__meta");
    meta.appendChild(element("span", "search-hit__kind", index.kinds[doc.kind] || doc.kind));
    doc.levels.forEach(function (slug) {
      if (index.levels[slug]) meta.appendChild(element("span", "search-hit__level", index.levels[slug]));
    });
    doc.topics.forEach(function (slug) {
      if (index.topics[slug]) meta.appendChild(element("span", "search-hit__topic", index.topics[slug]));
    });
    item.appendChild(meta);
    var heading = element("h3", "search-hit__title");
    var link = element("a", "", doc.title);
    link.href = doc.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var cue = bestCue(doc, terms);
    if (cue) {
      var line = element("p", "search-hit__cue");
      var timeLink = element("a", "search-hit__time");
      timeLink.href = withTime(doc.url, cue[0]);
      timeLink.appendChild(
        element("span", "visually-hidden", format(messages.at, { title: doc.title }) + " ")
      );
      var time = element("time", "", clock(cue[0]));
      time.setAttribute("datetime", "PT" + cue[0] + "S");
      timeLink.appendChild(time);
      line.appendChild(timeLink);
      line.appendChild(document.createTextNode(" "));
      var quote = element("q");
      highlight(quote, cue[1], terms, german);
      line.appendChild(quote);
      item.appendChild(line);
    } else {
      var snippet = element("p", "search-hit__snippet");
      highlight(snippet, bestSentence(doc, terms, german), terms, german);
      item.appendChild(snippet);
    }
    return item;
  }

  function fillForm(form, params) {
    var query = form.querySelector("input[name=q]");
    if (query) query.value = params.get("q") || "";
    var kinds = params.getAll("kind");
    form.querySelectorAll("input[name=kind]").forEach(function (box) {
      box.checked = kinds.indexOf(box.value) >= 0;
    });
    ["topic", "level"].forEach(function (name) {
      var select = form.querySelector("select[name=" + name + "]");
      if (select) select.value = params.get(name) || "";
    });
  }

  function init(container) {
    var form = container.querySelector("form.search-form");
    var section = container.querySelector(".search-results");
    var heading = section && section.querySelector("h2");
    var list = section && section.querySelector(".search-hits");
    if (!form || !heading || !list || !window.fetch) return;
    var messages = {
      one: container.getAttribute("data-result-one"),
      other: container.getAttribute("data-result-other"),
      none: container.getAttribute("data-none"),
      empty: container.getAttribute("data-empty"),
      noWords: container.getAttribute("data-no-words"),
      failed: container.getAttribute("data-failed"),
      at: container.getAttribute("data-at"),
    };
    var params = new URLSearchParams(window.location.search);
    fillForm(form, params);
    if (!params.has("q")) return;
    var query = (params.get("q") || "").replace(/\s+/g, " ").trim().slice(0, 200);
    section.hidden = false;

    function say(text) {
      heading.textContent = text;
    }

    if (!query) {
      say(messages.empty);
      return;
    }
    fetch(container.getAttribute("data-archive-search"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (index) {
        var german = index.language === "de";
        var stop = index.stop_words.map(function (word) { return fold(word, german); });
        var terms = words(query, german).filter(function (word, i, all) {
          return stop.indexOf(word) < 0 && all.indexOf(word) === i;
        });
        if (!terms.length) {
          say(messages.noWords);
          return;
        }
        prepare(index.documents, german);
        var kinds = params.getAll("kind");
        var topic = params.get("topic") || "";
        var level = params.get("level") || "";
        var hits = [];
        index.documents.forEach(function (doc) {
          if (kinds.length && kinds.indexOf(doc.kind) < 0) return;
          if (topic && doc.topics.indexOf(topic) < 0) return;
          if (level && doc.levels.indexOf(level) < 0) return;
          var value = score(doc, terms, query, german);
          if (value) hits.push({ doc: doc, score: value });
        });
        hits.sort(function (a, b) { return b.score - a.score || a.doc.order - b.doc.order; });
        list.textContent = "";
        hits.forEach(function (hit) {
          list.appendChild(renderHit(index, hit.doc, terms, german, messages));
        });
        list.hidden = !hits.length;
        var starting = container.querySelector(".search-start");
        if (starting) starting.hidden = hits.length > 0;
        say(
          hits.length
            ? format(hits.length === 1 ? messages.one : messages.other, {
                count: hits.length,
                query: query,
              })
            : messages.none
        );
      })
      .catch(function () {
        say(messages.failed);
      });
  }

  document.querySelectorAll("[data-archive-search]").forEach(init);
})();
