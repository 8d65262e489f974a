/* The Digital-Check in the static archive (see cms/archive/digitalcheck.py): the answers are
   scored in the browser from the check's exported definition (#archive-check-data) with the
   server's rules (digitalcheck.definition.evaluate), and the result is shown with the live
   result page's markup. Answers are kept in this browser's localStorage only; nothing is
   sent anywhere. */
(function () {
  "use strict";

  var PREFIX = "lernfunk-archive:check:";

  function format(text, values) {
    return text.replace(/%\((\w+)\)s|%%/g, function (match, name) {
      return name ? String(values[name]) : "%";
    });
  }

  /* Python's round(value, 1): correctly rounded, exact halves to the even neighbour. An
     exact half at the second decimal is only possible for multiples of 0.25. */
  function round1(value) {
    var quarters = value * 4;
    if (Number.isInteger(quarters) && quarters % 2 !== 0) {
      var tenths = Math.floor(value * 10);
      return (tenths % 2 === 0 ? tenths : tenths + 1) / 10;
    }
    return Number(value.toFixed(1));
  }

  /* Python's float floor division a // b (CPython's float_floor_div). */
  function floorDiv(a, b) {
    var mod = a % b;
    var div = (a - mod) / b;
    if (mod && (b < 0) !== (mod < 0)) div -= 1;
    if (!div) return 0;
    var floored = Math.floor(div);
    if (div - floored > 0.5) floored += 1;
    return floored;
  }

  function valid(value, low, high) {
    return Number.isInteger(value) && value >= low && value <= high ? value : null;
  }

  /* Strings ordered by code point, as Python compares them. */
  function compareText(a, b) {
    var left = Array.from(a);
    var right = Array.from(b);
    for (var i = 0; i < Math.min(left.length, right.length); i += 1) {
      var diff = left[i].codePointAt(0) - right[i].codePointAt(0);
      if (diff) return diff;
    }
    return left.length - right.length;
  }

  /* scoring.level_index and scoring.overall_level_index. */
  function levelIndex(implementation, count, scale) {
    if (implementation === null || count <= 0) return null;
    return Math.min(count - 1, Math.floor(((implementation - scale.min) * count) / scale.max));
  }
  function overallLevelIndex(overall, count) {
    if (overall === null || count <= 0) return null;
    return Math.min(count - 1, floorDiv(overall * count, 100));
  }

  /* scoring.score_check. */
  function score(definition, answers) {
    var questionnaire = definition.questionnaire;
    var scales = definition.scales;
    var questionAnswers = answers.questions || {};
    var topicAnswers = answers.topics || {};
    var dimensions = (questionnaire.dimensions || []).map(function (dimension) {
      var answered = [];
      dimension.questions.forEach(function (question) {
        var value = valid(questionAnswers[question.id], scales.question.min, scales.question.max);
        if (value !== null) answered.push(value);
      });
      var total = answered.reduce(function (sum, value) { return sum + value; }, 0);
      var result = answered.length
        ? round1((100 * total) / (scales.question.max * answered.length))
        : null;
      return { id: dimension.id, title: dimension.title, score: result };
    });
    var scored = dimensions.filter(function (d) { return d.score !== null; });
    var sum = 0;
    scored.forEach(function (d) { sum += d.score; });
    var overall = scored.length ? round1(sum / scored.length) : null;
    var topics = (questionnaire.topics || []).map(function (topic) {
      var given = topicAnswers[topic.id] || {};
      var implementation = valid(given.implementation, scales.rating.min, scales.rating.max);
      var relevance = valid(given.relevance, scales.rating.min, scales.rating.max);
      var gap = implementation === null || relevance === null ? 0 : Math.max(relevance - implementation, 0);
      return {
        topic_key: topic.topic_key,
        name: topic.name,
        implementation: implementation,
        relevance: relevance,
        gap: gap,
      };
    });
    return { overall: overall, dimensions: dimensions, topics: topics };
  }

  /* recommendations.rank. */
  function ranked(candidates, gaps, levels, scale, limit) {
    var found = [];
    candidates.forEach(function (candidate) {
      var matched = [];
      gaps.forEach(function (topic) {
        if (candidate.topics.indexOf(topic.topic_key) === -1) return;
        var index = levelIndex(topic.implementation, levels.length, scale);
        if (index === null) return;
        var level = levels[index];
        if (candidate.low <= level.order && level.order <= candidate.high) matched.push([topic, level]);
      });
      if (!matched.length) return;
      matched.sort(function (a, b) {
        return b[0].gap - a[0].gap || (b[0].relevance || 0) - (a[0].relevance || 0);
      });
      found.push({
        key: candidate.key,
        title: candidate.title,
        gap: matched[0][0].gap,
        relevance: matched[0][0].relevance || 0,
        topics: matched.map(function (pair) { return pair[0].name; }),
        level_name: matched[0][1].name,
      });
    });
    found.sort(function (a, b) {
      return b.gap - a.gap || b.relevance - a.relevance || compareText(a.title, b.title);
    });
    return found.slice(0, limit);
  }

  /* definition.evaluate: the result of ``answers`` from the definition alone. */
  function evaluate(definition, answers) {
    var result = score(definition, answers);
    var levels = definition.levels;
    var scale = definition.scales.rating;
    var index = overallLevelIndex(result.overall, levels.length);
    var topics = result.topics.map(function (topic) {
      var level = levelIndex(topic.implementation, levels.length, scale);
      return {
        name: topic.name,
        implementation: topic.implementation,
        relevance: topic.relevance,
        gap: topic.gap,
        level: level === null ? "" : levels[level].name,
      };
    });
    topics.sort(function (a, b) { return b.gap - a.gap; });
    var gaps = result.topics.filter(function (topic) { return topic.gap > 0; });
    var units = [];
    var paths = [];
    if (levels.length && gaps.length) {
      units = ranked(definition.units, gaps, levels, scale, definition.limits.units);
      paths = ranked(definition.paths, gaps, levels, scale, definition.limits.paths);
    }
    return {
      overall: result.overall,
      overall_level: index === null ? "" : levels[index].name,
      dimensions: result.dimensions,
      topics: topics,
      units: units,
      paths: paths,
    };
  }
  window.lernfunkArchiveEvaluateCheck = evaluate;

  /* --- the page ------------------------------------------------------------------------ */

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* How Django's templates print a float: Python's repr, with the locale's separator. */
  function number(value, texts) {
    if (value === null || value === undefined) return "–";
    var text = Number.isInteger(value) ? value.toFixed(1) : String(value);
    return text.replace(".", texts.decimal_separator);
  }

  function section(id, title, level) {
    var node = element("section");
    node.setAttribute("aria-labelledby", id);
    var heading = element("h" + level, "", title);
    heading.id = id;
    node.appendChild(heading);
    return node;
  }

  function table(caption, headers, rows, numeric) {
    var node = element("table", "data-table");
    if (caption) node.appendChild(element("caption", "visually-hidden", caption));
    var head = node.createTHead().insertRow();
    headers.forEach(function (text, index) {
      var cell = element("th", numeric.indexOf(index) !== -1 ? "num" : "", text);
      cell.scope = "col";
      head.appendChild(cell);
    });
    var body = node.createTBody();
    rows.forEach(function (values) {
      var row = body.insertRow();
      values.forEach(function (text, index) {
        var cell = element(index === 0 ? "th" : "td", numeric.indexOf(index) !== -1 ? "num" : "", text);
        if (index === 0) cell.scope = "row";
        row.appendChild(cell);
      });
    });
    return node;
  }

  function cards(items, texts, urls, isUnit) {
    var list = element("ol", "card-list recommendations");
    items.forEach(function (item) {
      var candidate = urls[item.key];
      var card = element("li", "card");
      var heading = element("h5");
      var link = element("a", "", item.title);
      link.href = candidate.url;
      heading.appendChild(link);
      card.appendChild(heading);
      if (isUnit) card.appendChild(element("p", "", candidate.teaser));
      var values = { topics: item.topics.join(", "), level: item.level_name, minutes: candidate.minutes };
      card.appendChild(element("p", "recommendation-meta", format(isUnit ? texts.unit_meta : texts.path_meta, values)));
      list.appendChild(card);
    });
    return list;
  }

  function renderResult(container, definition, texts, result) {
    var labels = {};
    definition.scales.rating.labels.forEach(function (pair) { labels[pair[0]] = pair[1]; });
    var candidates = {};
    definition.units.concat(definition.paths).forEach(function (c) { candidates[c.key] = c; });
    container.textContent = "";

    var overall = section("archive-check-overall", texts.overall, 3);
    overall.appendChild(element("p", "check-score", format(texts.score_of, { score: number(result.overall, texts) })));
    if (result.overall_level) {
      overall.appendChild(element("p", "", format(texts.overall_level, { overall_level: result.overall_level })));
    }
    container.appendChild(overall);

    var dimensions = section("archive-check-dimensions", texts.dimensions, 3);
    var chart = element("div", "check-chart");
    chart.setAttribute("role", "img");
    chart.setAttribute("aria-label", texts.chart_label);
    var svgNS = "http://www.w3.org/2000/svg";
    result.dimensions.forEach(function (d) {
      var row = element("div", "check-chart__row");
      row.appendChild(element("span", "check-chart__label", d.title));
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("class", "check-chart__bar");
      svg.setAttribute("viewBox", "0 0 100 20");
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("focusable", "false");
      svg.setAttribute("aria-hidden", "true");
      [["bar-bg", 100], ["bar", d.score || 0]].forEach(function (pair) {
        var rect = document.createElementNS(svgNS, "rect");
        rect.setAttribute("class", pair[0]);
        rect.setAttribute("width", String(pair[1]));
        rect.setAttribute("height", "20");
        rect.setAttribute("rx", "3");
        svg.appendChild(rect);
      });
      row.appendChild(svg);
      row.appendChild(element("span", "check-chart__value", number(d.score, texts)));
      chart.appendChild(row);
    });
    dimensions.appendChild(chart);
    dimensions.appendChild(table(
      texts.table_caption,
      [texts.dimension, texts.score],
      result.dimensions.map(function (d) { return [d.title, number(d.score, texts)]; }),
      [1]
    ));
    container.appendChild(dimensions);

    if (result.topics.length) {
      var topics = section("archive-check-topics", texts.topics, 3);
      topics.appendChild(element("p", "", texts.topics_intro));
      topics.appendChild(table(
        "",
        [texts.topic, texts.implementation, texts.relevance, texts.gap, texts.level],
        result.topics.map(function (t) {
          return [t.name, labels[t.implementation] || "–", labels[t.relevance] || "–", String(t.gap), t.level || "–"];
        }),
        [3]
      ));
      container.appendChild(topics);
    }

    var recommended = section("archive-check-recommended", texts.recommended, 3);
    if (result.units.length || result.paths.length) {
      recommended.appendChild(element("p", "", texts.recommended_intro));
      if (result.units.length) {
        recommended.appendChild(element("h4", "", texts.units));
        recommended.appendChild(cards(result.units, texts, candidates, true));
      }
      if (result.paths.length) {
        recommended.appendChild(element("h4", "", texts.paths));
        recommended.appendChild(cards(result.paths, texts, candidates, false));
      }
    } else {
      recommended.appendChild(element("p", "", texts.no_recommendation));
    }
    container.appendChild(recommended);
  }

  function readAnswers(form) {
    var answers = { questions: {}, topics: {} };
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      var value = parseInt(input.value, 10);
      var name = input.name;
      if (name.indexOf("q-") === 0) {
        answers.questions[name.slice(2)] = value;
      } else if (name.indexOf("impl-") === 0 || name.indexOf("rel-") === 0) {
        var kind = name.indexOf("impl-") === 0 ? "implementation" : "relevance";
        var id = name.slice(name.indexOf("-") + 1);
        answers.topics[id] = answers.topics[id] || {};
        answers.topics[id][kind] = value;
      }
    });
    return answers;
  }

  function unanswered(form) {
    var missing = [];
    form.querySelectorAll("fieldset[id^='group-']").forEach(function (group) {
      if (!group.querySelector("input[type=radio]:checked")) missing.push(group);
    });
    return missing;
  }

  function init() {
    var holder = document.getElementById("archive-check-data");
    var form = document.querySelector("form[data-archive-check]");
    if (!holder || !form) return;
    var data = JSON.parse(holder.textContent);
    var definition = data.definition;
    var texts = data.texts;
    var page = PREFIX + definition.page + ":";
    var key = page + definition.version;
    var errors = form.querySelector("[data-archive-check-errors]");
    var status = document.querySelector("[data-archive-check-status]");
    var resultSection = document.querySelector("[data-archive-check-result]");
    var resultBody = document.querySelector("[data-archive-check-result-body]");
    /* Disabled in the page: without this script the answers would leave in the form's URL. */
    form.querySelectorAll("[data-archive-check-submit]").forEach(function (button) { button.disabled = false; });

    var kept = null;
    try { kept = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (error) { kept = null; }
    if (kept) {
      Object.keys(kept).forEach(function (name) {
        var input = form.querySelector('input[name="' + CSS.escape(name) + '"][value="' + CSS.escape(String(kept[name])) + '"]');
        if (input) input.checked = true;
      });
    }

    form.addEventListener("change", function () {
      var values = {};
      form.querySelectorAll("input[type=radio]:checked").forEach(function (input) { values[input.name] = input.value; });
      try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (error) { /* not kept */ }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var missing = unanswered(form);
      var list = errors.querySelector("ul");
      list.textContent = "";
      form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
      if (missing.length) {
        missing.forEach(function (group) {
          var legend = group.querySelector("legend");
          var item = element("li");
          var link = element("a", "", format(texts.choose, { label: legend ? legend.textContent.trim() : "" }));
          link.href = "#" + group.id;
          item.appendChild(link);
          list.appendChild(item);
          group.querySelectorAll("input").forEach(function (input) { input.setAttribute("aria-invalid", "true"); });
        });
        errors.hidden = false;
        resultSection.hidden = true;
        errors.focus();
        return;
      }
      errors.hidden = true;
      var result = evaluate(definition, readAnswers(form));
      renderResult(resultBody, definition, texts, result);
      resultSection.hidden = false;
      status.textContent = format(texts.announce, { score: number(result.overall, texts) });
      resultSection.querySelector("h2").focus();
    });

    var forget = document.querySelector("[data-archive-forget]");
    var forgetStatus = document.querySelector("[data-archive-forget-status]");
    if (forget) {
      forget.addEventListener("click", function () {
        /* Every version's answers of this check: an archive updated after a new questionnaire
           version must not keep the earlier ones out of reach of this button. */
        try {
          var keys = [];
          for (var i = 0; i < window.localStorage.length; i += 1) {
            var name = window.localStorage.key(i);
            if (name && name.indexOf(page) === 0) keys.push(name);
          }
          keys.forEach(function (name) { window.localStorage.removeItem(name); });
        } catch (error) { /* nothing kept */ }
        form.reset();
        form.querySelectorAll("[aria-invalid]").forEach(function (input) { input.removeAttribute("aria-invalid"); });
        resultSection.hidden = true;
        errors.hidden = true;
        status.textContent = "";
        if (forgetStatus) forgetStatus.textContent = texts.forgotten;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
