/* The live session: a group's (or a cohort's) screen for a room or a call, in large type.
 *
 * `CollectiveCoachingLive(kit).open(body, opener)` fills the page with what the room may read
 * (the server decides: operations/facilitator/live.py): the theme map, structural against
 * personal, and the group's plan; the stories shared with the group only when the facilitator
 * shows them; pseudonyms unless they choose names. While the page is visible it asks every few
 * seconds whether anything changed (one query when nothing did). The facilitator's own notes for
 * each stage stay folded, away from the shared screen, until they open them. Escape closes it
 * and the focus goes back to the button that opened it.
 */
function CollectiveCoachingLive(kit) {
    'use strict';

    var gettext = kit.gettext, el = kit.el, fill = kit.fill, format = kit.format, newId = kit.newId,
        call = kit.call;
    var EVERY_MS = 5000;

    function open(target, opener) {
        var choices = {show_stories: false, names: false};
        var screen = null, timer = null, fingerprint = '', closed = false, asked = 0;
        var titleId = newId('live-title');
        var heading = el('h2', {id: titleId, className: 'cc-session-title', tabindex: '-1'});
        var body = el('div', {className: 'cc-session-body'});
        var stamp = el('p', {className: 'cc-session-stamp', role: 'status', 'aria-live': 'polite'});
        var names = checkbox(gettext('Show names (otherwise pseudonyms)'), function(on) { choices.names = on; refresh(); });
        var stories = target.group_id ? checkbox(gettext('Show the stories shared with the group'),
            function(on) { choices.show_stories = on; refresh(); }) : null;
        var close = el('button', {type: 'button', className: 'cc-button', text: gettext('Close the live session')});
        var notes = el('details', {className: 'cc-session-notes'}, [
            el('summary', {text: gettext('My notes for each stage (not for the room: open them on your own screen)')})]);
        var dialog = el('div', {className: 'cc-session', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId}, [
            el('div', {className: 'cc-session-bar'}, [target.group_id ? names : null, stories, close]),
            heading, stamp, body, notes]);
        document.body.appendChild(dialog);
        document.body.classList.add('cc-session-open');
        heading.textContent = gettext('Live session');
        heading.focus();  // at once: the opener behind the screen never keeps the focus

        function checkbox(label, onChange) {
            var id = newId('live-choice');
            var input = el('input', {type: 'checkbox', id: id});
            input.addEventListener('change', function() { onChange(input.checked); });
            return el('span', {className: 'cc-check'}, [input, el('label', {'for': id, text: label})]);
        }
        function shut() {
            closed = true;
            window.clearTimeout(timer);
            document.removeEventListener('visibilitychange', onVisible);
            document.removeEventListener('keydown', onKey, true);
            dialog.parentNode.removeChild(dialog);
            document.body.classList.remove('cc-session-open');
            if (opener) { opener.focus(); }
        }
        close.addEventListener('click', shut);
        // While the screen is open, Escape closes it and Tab stays inside it, wherever the focus is.
        function onKey(event) {
            if (event.key === 'Escape') { event.preventDefault(); shut(); return; }
            if (event.key !== 'Tab') { return; }
            var focusable = Array.prototype.filter.call(dialog.querySelectorAll('button,input,summary'),
                function(node) { return node.offsetParent !== null; });
            if (!focusable.length) { return; }
            var first = focusable[0], last = focusable[focusable.length - 1], at = focusable.indexOf(document.activeElement);
            if (at === -1) { event.preventDefault(); (event.shiftKey ? last : first).focus(); return; }
            if (event.shiftKey && at === 0) { event.preventDefault(); last.focus(); }
            if (!event.shiftKey && at === focusable.length - 1) { event.preventDefault(); first.focus(); }
        }
        document.addEventListener('keydown', onKey, true);

        function themeTable(themes) {
            if (!themes.length) {
                return el('p', {className: 'cc-session-empty', text: gettext('No shared themes yet.')});
            }
            var most = Math.max.apply(null, themes.map(function(t) { return t.structural + t.personal; }));
            return el('table', {className: 'cc-session-themes'}, [
                el('caption', {text: gettext('Themes: structural against personal')}),
                el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', text: gettext('Theme')}),
                    el('th', {scope: 'col', text: gettext('Structural')}), el('th', {scope: 'col', text: gettext('Personal')}),
                    el('th', {scope: 'col', className: 'cc-session-key'}, [
                        el('span', {className: 'cc-session-bar-structural', 'aria-hidden': 'true'}),
                        el('span', {text: ' ' + gettext('Structural') + ' '}),
                        el('span', {className: 'cc-session-bar-personal', 'aria-hidden': 'true'}),
                        el('span', {text: ' ' + gettext('Personal')})])])]),
                el('tbody', {}, themes.map(function(theme) {
                    var bars = el('td', {'aria-hidden': 'true', className: 'cc-session-bars'}, [
                        el('span', {className: 'cc-session-bar-structural'}), el('span', {className: 'cc-session-bar-personal'})]);
                    bars.firstChild.style.width = (100 * theme.structural / most) / 2 + '%';
                    bars.lastChild.style.width = (100 * theme.personal / most) / 2 + '%';
                    bars.firstChild.hidden = !theme.structural;
                    bars.lastChild.hidden = !theme.personal;
                    return el('tr', {}, [el('th', {scope: 'row', text: theme.label}),
                        el('td', {text: String(theme.structural)}), el('td', {text: String(theme.personal)}), bars]);
                }))]);
        }
        function draw() {
            heading.textContent = screen.group
                ? format(gettext('Live session: {group} ({cohort})'), {group: screen.group.name, cohort: screen.group.cohort})
                : format(gettext('Live session: {cohort}'), {cohort: screen.cohort.name});
            var parts = [el('section', {className: 'cc-session-part'}, [themeTable(screen.themes),
                screen.other_themes ? el('p', {text: format(gettext('Other themes named in the groups: {count}'),
                    {count: screen.other_themes})}) : null])];
            if (screen.plan) {
                parts.push(el('section', {className: 'cc-session-part', 'aria-label': gettext('The group plan')}, [
                    el('h3', {text: gettext('The group plan')}),
                    screen.plan.text ? el('p', {className: 'cc-session-plan cc-text', text: screen.plan.text})
                        : el('p', {className: 'cc-session-empty', text: gettext('No plan yet.')}),
                    screen.plan.updated_by ? el('p', {className: 'cc-session-by', text: format(gettext('Last saved by {name}'),
                        {name: screen.plan.updated_by})}) : null]));
            }
            names.style.display = screen.names_allowed ? '' : 'none';  // a unit under pseudonyms never shows names
            if (screen.stories_withheld) {
                parts.push(el('p', {className: 'cc-session-empty', text: gettext('The stories stay off the screen: in this ' +
                    'unit each member reads peers\' stories only after sharing their own, and not every member has yet.')}));
            } else if (screen.show_stories) {
                parts.push(el('section', {className: 'cc-session-part'}, [el('h3', {text: gettext('Stories shared with the group')}),
                    screen.stories.length ? el('ul', {className: 'cc-session-stories'}, screen.stories.map(function(story) {
                        return el('li', {}, [el('strong', {text: story.author}), el('p', {className: 'cc-text', text: story.text})]);
                    })) : el('p', {className: 'cc-session-empty', text: gettext('No story is shared with the group yet.')})]));
            }
            fill(body, parts);
            var guide = screen.stages.filter(function(stage) { return stage.notes; });
            notes.hidden = !guide.length;
            fill(notes, [notes.firstChild].concat(guide.map(function(stage) {
                return el('div', {className: 'cc-guide'}, [el('h3', {text: stage.title}), el('p', {className: 'cc-text', text: stage.notes})]);
            })));
            stamp.textContent = format(gettext('Updated {when}'), {when: kit.when(new Date().toISOString())});
        }
        function refresh(quiet) {
            var ask = Object.assign({since: quiet ? fingerprint : ''}, target, choices);
            var number = ++asked;
            return call('live_session', ask).then(function(result) {
                if (closed || number !== asked) { return; }  // closed, or a newer question is on its way
                fingerprint = result.fingerprint;
                if (result.unchanged) { return; }
                screen = result;
                draw();
            }).catch(function(error) {
                if (!closed) { stamp.textContent = error.message; }  // said inside the screen, where it is read
            });
        }
        function tick() {
            window.clearTimeout(timer);
            if (closed || document.hidden) { return; }
            timer = window.setTimeout(function() { refresh(true).then(tick); }, EVERY_MS);
        }
        function onVisible() { if (!closed && !document.hidden) { refresh(true).then(tick); } }
        document.addEventListener('visibilitychange', onVisible);
        refresh().then(tick);
    }

    return {open: open};
}
