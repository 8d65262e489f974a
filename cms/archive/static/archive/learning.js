/* Self-learning in the static archive (see cms/archive/learning.py): quizzes are scored in
   the browser with the server's rule, and progress, checklist ticks and reflections are kept
   in this browser's localStorage only. The page carries its data as JSON
   (#archive-learning-data); nothing is sent anywhere. */
(function () {
  "use strict";

  var PREFIX = "lernfunk-archive:unit:";

  function format(text, values) {
    return text.replace(/%\((\w+)\)s|%%/g, function (match, name) {
      return name ? String(values[name]) : "%";
    });
  }

  /* Python's round(): halves go to the even neighbour (round(12.5) == 12). */
  function roundHalfEven(value) {
    var rounded = Math.round(value);
    if (Math.abs(value % 1) === 0.5 && rounded % 2 !== 0) rounded -= 1;
    return rounded;
  }

  /* The server's quizzes.score_quiz: a question is right when exactly its correct options
     were chosen; the score is the rounded percentage of right questions. */
  function scoreQuiz(quiz, answers) {
    var results = {};
    var right = 0;
    quiz.questions.forEach(function (question) {
      var chosen = (answers[question.id] || []).slice().sort();
      var correct = question.correct.slice().sort();
      var ok = chosen.length === correct.length && chosen.every(function (id, index) {
        return id === correct[index];
      });
      results[question.id] = ok;
      if (ok) right += 1;
    });
    var total = quiz.questions.length;
    var score = total ? roundHalfEven((100 * right) / total) : 100;
    return { results: results, score: score, passed: score >= quiz.pass_threshold };
  }

  function Store(unit) {
    this.key = PREFIX + unit;
    this.state = {};
    try {
      this.state = JSON.parse(window.localStorage.getItem(this.key) || "{}") || {};
    } catch (error) {
      this.state = {};
    }
    this.state.steps = this.state.steps || {};
  }
  Store.prototype.step = function (id) {
    var steps = this.state.steps;
    steps[id] = steps[id] || { quizzes: {}, checklists: {}, reflections: {} };
    return steps[id];
  };
  Store.prototype.save = function () {
    try {
      window.localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch (error) { /* storage full or disabled: the page still works for now */ }
  };
  Store.prototype.forget = function () {
    try { window.localStorage.removeItem(this.key); } catch (error) { /* nothing kept */ }
    this.state = { steps: {} };
  };

  function isComplete(step, row) {
    if (row.done) return true;
    if (step.completion === "viewed") return true;
    if (step.completion === "time_spent") return (row.seconds || 0) >= step.minimum_seconds;
    if (step.completion === "marked_done") return !!row.marked;
    if (step.completion === "quiz_passed") {
      var ids = row.quiz_ids || [];
      return ids.length > 0 && ids.every(function (id) {
        return row.quizzes[id] && row.quizzes[id].passed;
      });
    }
    return false;
  }

  /* Completion is never taken back (a later failed retry keeps the pass), as on the server. */
  function evaluate(store, step) {
    var row = store.step(step.id);
    if (!row.done && isComplete(step, row)) row.done = true;
    return row.done;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function stepLinks() {
    var links = {};
    document.querySelectorAll(".step-list a[href]").forEach(function (link) {
      var found = /step\/([0-9a-f-]{36})\//.exec(link.getAttribute("href"));
      if (found) links[found[1]] = link;
    });
    return links;
  }

  function markStepList(data, store) {
    var links = stepLinks();
    data.steps.forEach(function (step) {
      var link = links[step.id];
      var row = store.state.steps[step.id];
      if (!link || !row) return;
      var item = link.closest("li");
      item.querySelectorAll(".badge").forEach(function (badge) { badge.remove(); });
      var done = !!row.done;
      item.classList.remove("step-list__item--open", "step-list__item--started", "step-list__item--completed");
      item.classList.add(done ? "step-list__item--completed" : "step-list__item--started");
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", done ? "badge badge--done" : "badge", done ? data.texts.done : data.texts.started));
    });
  }

  /* "Continue where I left off": the last step visited, or when that one is done, the next
     step not done yet. */
  function resumeStep(data, store) {
    var last = store.state.last;
    var index = -1;
    data.steps.forEach(function (step, position) { if (step.id === last) index = position; });
    if (index < 0) return null;
    var ordered = data.steps.slice(index).concat(data.steps.slice(0, index));
    for (var i = 0; i < ordered.length; i += 1) {
      var row = store.state.steps[ordered[i].id];
      if (!row || !row.done) return ordered[i];
    }
    return data.steps[index];
  }

  function showUnit(data, store) {
    markStepList(data, store);
    var section = document.querySelector(".resume");
    if (!section || !store.state.last) return;
    var required = data.steps.filter(function (step) { return !step.optional; });
    var done = required.filter(function (step) {
      return store.state.steps[step.id] && store.state.steps[step.id].done;
    }).length;
    var completed = required.length > 0 && done === required.length;
    var heading = section.querySelector("h2");
    var resume = resumeStep(data, store);
    if (heading) heading.textContent = completed ? data.texts.completed_unit : data.texts.continue_heading;
    section.querySelectorAll("p").forEach(function (paragraph) { paragraph.remove(); });
    if (!completed) {
      section.appendChild(element("p", "", format(data.texts.steps_done, { done: done, total: required.length })));
    }
    var link = resume && stepLinks()[resume.id];
    if (link) {
      var paragraph = element("p");
      var button = element("a", "button", format(data.texts.continue_with, { step: resume.title }));
      button.setAttribute("href", link.getAttribute("href"));
      button.setAttribute("data-archive-continue", "");
      paragraph.appendChild(button);
      section.appendChild(paragraph);
    }
  }

  function chosenAnswers(form) {
    var answers = {};
    form.querySelectorAll("input[name^='q-']").forEach(function (input) {
      var id = input.name.slice(2);
      answers[id] = answers[id] || [];
      if (input.checked) answers[id].push(input.value);
    });
    return answers;
  }

  function showQuiz(section, form, quiz, texts, answers) {
    var outcome = scoreQuiz(quiz, answers);
    var old = section.querySelector("[data-quiz-result]");
    if (old) old.remove();
    var result = element("p", "quiz__result " + (outcome.passed ? "quiz__result--passed" : "quiz__result--failed"));
    result.setAttribute("data-quiz-result", "");
    result.textContent = outcome.passed
      ? format(texts.passed, { score: outcome.score })
      : format(texts.failed, { score: outcome.score }) + " " + texts.try_again;
    form.parentNode.insertBefore(result, form);
    quiz.questions.forEach(function (question) {
      var inputs = form.querySelectorAll("input[name='q-" + question.id + "']");
      if (!inputs.length) return;
      var chosen = answers[question.id] || [];
      inputs.forEach(function (input) { input.checked = chosen.indexOf(input.value) >= 0; });
      var fieldset = inputs[0].closest("fieldset");
      var previous = fieldset.querySelector("[data-question-feedback]");
      if (previous) previous.remove();
      var right = outcome.results[question.id];
      var box = element("div", "quiz__feedback");
      box.id = "feedback-" + question.id;
      box.setAttribute("data-question-feedback", "");
      var verdict = element("p", right ? "feedback--right" : "feedback--wrong");
      verdict.appendChild(element("strong", "", right ? texts.right : texts.wrong));
      box.appendChild(verdict);
      question.options.forEach(function (option) {
        if (chosen.indexOf(option.id) >= 0 && option.feedback) {
          box.appendChild(element("p", "", format(texts.on_answer, { answer: option.text }) + " " + option.feedback));
        }
      });
      if (right && question.explanation) {
        var explanation = element("p");
        explanation.appendChild(element("strong", "", texts.explanation));
        explanation.appendChild(document.createTextNode(" " + question.explanation));
        box.appendChild(explanation);
      }
      fieldset.appendChild(box);
      fieldset.setAttribute("aria-describedby", box.id);
    });
    var button = form.querySelector("button[type=submit]");
    if (button) button.textContent = texts.check_again;
    return outcome;
  }

  function showStepDone(article, done) {
    var shown = article.querySelector("[data-archive-step-done]");
    if (shown) shown.hidden = !done;
    var form = article.querySelector("[data-archive-done]");
    if (form) form.hidden = done;
  }

  function initStep(data, store, article) {
    var step = null;
    data.steps.forEach(function (each) { if (each.id === data.step) step = each; });
    if (!step) return;
    var row = store.step(step.id);
    row.quiz_ids = Object.keys(data.quizzes);
    store.state.last = step.id;
    var texts = data.texts;
    function update() {
      evaluate(store, step);
      store.save();
      showStepDone(article, row.done);
      markStepList(data, store);
    }

    article.querySelectorAll("[data-archive-quiz]").forEach(function (form) {
      var quiz = data.quizzes[form.getAttribute("data-archive-quiz")];
      var section = form.closest(".quiz");
      var messages = section.querySelector("[data-archive-quiz-message]");
      var kept = row.quizzes[quiz.id];
      if (kept && kept.answers) showQuiz(section, form, quiz, texts, kept.answers);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var answers = chosenAnswers(form);
        var outcome = showQuiz(section, form, quiz, texts, answers);
        row.quizzes[quiz.id] = {
          answers: answers,
          score: outcome.score,
          passed: outcome.passed || !!(row.quizzes[quiz.id] && row.quizzes[quiz.id].passed)
        };
        if (messages) {
          messages.textContent = "";
          messages.appendChild(element("p", "notice notice--" + (outcome.passed ? "success" : "warning"),
            outcome.passed
              ? format(texts.message_passed, { score: outcome.score })
              : format(texts.message_failed, { score: outcome.score, needed: quiz.pass_threshold })));
        }
        update();
        section.focus();
      });
    });

    article.querySelectorAll("[data-archive-checklist]").forEach(function (form) {
      var id = form.getAttribute("data-archive-checklist");
      var status = form.querySelector("[data-checklist-status]");
      var ticked = row.checklists[id] || [];
      form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = ticked.indexOf(box.value) >= 0;
      });
      function keep() {
        row.checklists[id] = Array.prototype.filter.call(
          form.querySelectorAll("input[type=checkbox]"), function (box) { return box.checked; }
        ).map(function (box) { return box.value; });
        update();
        if (status) status.textContent = texts.saved;
      }
      form.addEventListener("change", keep);
      form.addEventListener("submit", function (event) { event.preventDefault(); keep(); });
    });

    article.querySelectorAll("[data-archive-reflection]").forEach(function (form) {
      var id = form.getAttribute("data-archive-reflection");
      var field = form.querySelector("textarea");
      var status = form.querySelector("[data-archive-reflection-status]");
      if (row.reflections[id] !== undefined && field) field.value = row.reflections[id];
      function keep() { row.reflections[id] = field.value; update(); }
      if (field) field.addEventListener("input", keep);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        keep();
        if (status) status.textContent = texts.reflection_saved;
      });
    });

    article.querySelectorAll("[data-archive-done]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        row.marked = true;
        update();
        var status = article.querySelector("#step-status");
        if (status) status.focus();
      });
    });

    if (step.completion === "time_spent") {
      var since = document.visibilityState === "hidden" ? null : Date.now();
      var credit = function () {
        if (since !== null) row.seconds = (row.seconds || 0) + Math.round((Date.now() - since) / 1000);
        since = document.visibilityState === "hidden" ? null : Date.now();
        update();
      };
      window.setInterval(credit, 5000);
      document.addEventListener("visibilitychange", credit);
      window.addEventListener("pagehide", credit);
    }
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("archive-learning-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var store = new Store(data.unit);
    var article = document.querySelector("[data-archive-learning]");
    if (data.step && article) {
      initStep(data, store, article);
      // The export disables the buttons for browsers without JavaScript (see learning.py).
      article.querySelectorAll("[data-archive-submit]").forEach(function (button) {
        button.disabled = false;
      });
    }
    else showUnit(data, store);
    var forget = document.querySelector("[data-archive-forget]");
    if (forget) {
      forget.addEventListener("click", function () {
        store.forget();
        var status = document.querySelector("[data-archive-forget-status]");
        if (status) status.textContent = data.texts.forgotten;
        markStepList(data, store);
      });
    }
  });

  window.lernfunkArchiveScoreQuiz = scoreQuiz; // for tests and the curious
})();
