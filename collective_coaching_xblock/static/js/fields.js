/* What a learner types, kept: drafts on the server, and typing kept across redraws.
 *
 * `CollectiveCoachingFields(kit, root, drafts)` looks after the fields the learner view draws
 * from the state (each marked by `keyed`): a draft of a story, reflection, response or the plan is
 * kept on the server a few seconds after typing stops and on leaving the field, private to its
 * author, and put back when the page opens again; a redraw of the state (`keepTyping`) never drops
 * what the person typed, the theme choices they made or the control they were in, and a redraw the
 * person did not ask for waits until the click they are making has landed (`whenIdle`).
 */
function CollectiveCoachingFields(kit, root, drafts) {
    'use strict';

    var find = kit.find, findAll = kit.findAll, call = kit.call;
    var sent = {}, timers = {};  // by field: the text last sent as its draft, and the pending save
    var DRAFTABLE = /^(contribution:|reflection:|response:|plan$)/;
    var DRAFT_AFTER_MS = 3000;
    drafts = drafts || {};

    /* Mark a field drawn from the state: `key` names it across redraws, `saved` is the server's value. */
    function keyed(node, key, saved) {
        node.setAttribute('data-key', key);
        node.setAttribute('data-saved', saved || '');
        node.value = saved || '';
        restoreDraft(node);
        return node;
    }

    function restoreDraft(node) {
        var key = node.getAttribute('data-key');
        if (drafts.hasOwnProperty(key) && drafts[key] !== node.getAttribute('data-saved')) {
            node.value = drafts[key];
            sent[key] = drafts[key];
            node.setAttribute('data-restored', '');
        }
    }

    function saveDraft(node) {
        var key = node.getAttribute('data-key');
        window.clearTimeout(timers[key]);
        var text = node.value === node.getAttribute('data-saved') ? '' : node.value;
        if ((sent[key] || '') === text) { return; }
        sent[key] = text;
        call('save_draft', {key: key, text: text}).then(function() {
            if (text) { drafts[key] = text; } else { delete drafts[key]; }
        }).catch(function() { sent[key] = null; });  // tried again on the next keystroke
    }
    root.addEventListener('input', function(event) {
        var node = event.target;
        var key = node.getAttribute && node.getAttribute('data-key');
        if (!key || !DRAFTABLE.test(key)) { return; }
        window.clearTimeout(timers[key]);
        timers[key] = window.setTimeout(function() { saveDraft(node); }, DRAFT_AFTER_MS);
    });
    root.addEventListener('focusout', function(event) {
        var key = event.target.getAttribute && event.target.getAttribute('data-key');
        if (key && DRAFTABLE.test(key)) { saveDraft(event.target); }
    });

    /* After a save: the drafts of the form's fields are gone on the server (it deletes them) and here. */
    function forgetDrafts(form) {
        findAll('[data-key]', form).forEach(function(node) {
            var key = node.getAttribute('data-key');
            window.clearTimeout(timers[key]);
            delete drafts[key];
            sent[key] = '';
            node.removeAttribute('data-restored');
        });
    }

    /* The drafts a new state carries (the server's, after a save). */
    function setDrafts(newDrafts) { drafts = newDrafts; }

    /* One field's draft no longer shown (the field shows the saved version instead). */
    function dropDraft(key) { delete drafts[key]; }

    function cssEscape(text) { return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, '\\$&'); }

    // A press in progress on the block (a pointer down, or Space or Enter held): a redraw now would
    // replace the control under it and its click would reach nothing. Redraws that come from
    // elsewhere (the group's news) wait for its end, or for PRESS_MS at most.
    var PRESS_MS = 2000;
    var pressing = false, waiting = [], pressTimer = null;
    function pressed() { pressing = true; }
    function released() {
        pressing = false;
        window.clearTimeout(pressTimer);
        var run = waiting;
        waiting = [];
        // After the click this release makes: it is dispatched before any timer runs.
        if (run.length) { window.setTimeout(function() { run.forEach(function(job) { job(); }); }, 0); }
    }
    root.addEventListener('pointerdown', pressed, true);
    root.addEventListener('keydown', function(event) { if (event.key === ' ' || event.key === 'Enter') { pressed(); } }, true);
    ['pointerup', 'pointercancel', 'keyup'].forEach(function(name) { document.addEventListener(name, released, true); });

    /* Run `job` (a redraw) now, or once the press in progress ends. */
    function whenIdle(job) {
        if (!pressing) { job(); return; }
        waiting.push(job);
        window.clearTimeout(pressTimer);
        pressTimer = window.setTimeout(released, PRESS_MS);
    }

    /* A selector that finds a form again after a redraw replaced it: by the id of what the form is
     * about (a story, a reflection, a stage), else by its role, else as the form of its region. */
    var FORM_IDS = ['data-contribution-id', 'data-reflection-id', 'data-stage-id'];
    function formKey(form) {
        for (var i = 0; i < FORM_IDS.length; i += 1) {
            if (form.hasAttribute(FORM_IDS[i])) { return 'form[' + FORM_IDS[i] + '="' + form.getAttribute(FORM_IDS[i]) + '"]'; }
        }
        if (form.hasAttribute('data-role')) { return 'form[data-role="' + form.getAttribute('data-role') + '"]'; }
        var region = form.closest('[data-role]');
        return region ? '[data-role="' + region.getAttribute('data-role') + '"] form' : null;
    }

    /* Where the focus is, when it is on a control that has no key (a button, a radio, a link): its
     * form (or else its region) and its place among the controls there, to find its redrawn twin. */
    var CONTROLS = 'a[href],button,input,select,textarea,summary';
    function focusPlace() {
        var active = document.activeElement;
        if (!active || active.getAttribute('data-key') || !root.contains(active)) { return null; }
        var form = active.closest('form');
        var region = active.parentNode && active.parentNode.closest('[data-role]');
        var where = form ? formKey(form) : region ? '[data-role="' + region.getAttribute('data-role') + '"]' : null;
        var there = where && find(where);
        return there ? {where: where, index: findAll(CONTROLS, there).indexOf(active)} : null;
    }
    function refocus(place) {
        if (!place || (document.activeElement && document.activeElement !== document.body)) { return; }
        var there = find(place.where);
        var control = there && findAll(CONTROLS, there)[place.index];
        if (control) { control.focus(); }
    }

    /* Before a redraw: what was typed and not saved (and where the focus was); after it: put it back.
     * `addTheme(theme)` puts back a theme of the learner's own that the redraw did not draw. */
    function keepTyping(redraw, addTheme) {
        var typed = {}, choices = {}, added = [];
        var focused = document.activeElement && document.activeElement.getAttribute
            ? document.activeElement.getAttribute('data-key') : null;
        var place = focusPlace();
        findAll('[data-key]').forEach(function(node) {
            if (node.value !== node.getAttribute('data-saved')) { typed[node.getAttribute('data-key')] = node.value; }
        });
        findAll('fieldset.cc-theme').forEach(function(fieldset) {
            var checked = find('input:checked', fieldset);
            var value = checked ? checked.value : 'none';
            if (value !== fieldset.getAttribute('data-saved')) {
                choices[fieldset.getAttribute('data-theme')] = value;
                if (fieldset.hasAttribute('data-added')) { added.push(fieldset.getAttribute('data-theme')); }
            }
        });
        redraw();
        added.forEach(function(theme) {
            if (!find('fieldset.cc-theme[data-theme="' + cssEscape(theme) + '"]')) { addTheme(theme); }
        });
        findAll('fieldset.cc-theme').forEach(function(fieldset) {
            var value = choices[fieldset.getAttribute('data-theme')];
            var radio = value && find('input[value="' + value + '"]', fieldset);
            if (radio) { radio.checked = true; }
        });
        findAll('[data-key]').forEach(function(node) {
            var key = node.getAttribute('data-key');
            if (typed.hasOwnProperty(key)) { node.value = typed[key]; }
            if (key === focused) { node.focus(); }
        });
        refocus(place);
    }

    return {keyed: keyed, forgetDrafts: forgetDrafts, setDrafts: setDrafts, dropDraft: dropDraft,
        keepTyping: keepTyping, whenIdle: whenIdle, formKey: formKey, cssEscape: cssEscape};
}
