/* The learner's way through the unit: where they are, what is behind them, and where it led.
 *
 * `CollectiveCoachingJourney(kit)` draws, from the learner's state: a stepper of the stages at
 * the top (each a link to its stage; the current one marked), finished stages folded away with a
 * button to open them again, the summary a learner reads once every stage is done, and the merge
 * view of the group plan after a save that crossed someone else's; and, from the state before and
 * after a look at the group, what is new for the learner, in one sentence. Text enters only as text
 * nodes.
 */
function CollectiveCoachingJourney(kit) {
    'use strict';

    var gettext = kit.gettext, find = kit.find, el = kit.el, fill = kit.fill, format = kit.format,
        newId = kit.newId, announce = kit.announce;
    var folded = {};  // stage id -> folded away (the stages done when the page opened, until opened)

    /* A stage's status in words; an open stage whose own part is done and waits on the group says so. */
    function statusText(status, waiting) {
        if (status === 'open' && waiting) { return gettext('Waiting for your group'); }
        return {locked: gettext('Locked'), open: gettext('Open'), done: gettext('Done')}[status] || status;
    }

    function stageItem(stageId) { return find('li.cc-stage[data-stage-id="' + stageId + '"]'); }

    function heading(stageId) {
        var item = stageItem(stageId);
        var node = item && find('.cc-stage-heading', item);
        if (node) { node.setAttribute('tabindex', '-1'); }
        return node;
    }

    /* Open a stage (unfolded) and move the reader there. */
    function goTo(stageId) {
        folded[stageId] = false;
        var item = stageItem(stageId);
        if (item) { setFolded(item, false); }
        var node = heading(stageId);
        if (node) { node.focus(); node.scrollIntoView({block: 'start'}); }
    }

    // --- the stepper ---------------------------------------------------------------------
    function stepper(state) {
        var nav = find('[data-role="stepper"]');
        if (!nav) {
            nav = el('nav', {className: 'cc-stepper', 'data-role': 'stepper', 'aria-label': gettext('Your progress')},
                [el('ol')]);
            var stages = find('ol.cc-stages');
            stages.parentNode.insertBefore(nav, stages);
        }
        // The first stage with something to do now; a stage waiting on the group is current only
        // when nothing else is open.
        var open = state.stages.filter(function(stage) { return stage.status === 'open'; });
        var current = open.filter(function(stage) { return !stage.waiting; })[0] || open[0];
        var total = state.stages.length;
        fill(find('ol', nav), state.stages.map(function(stage, index) {
            var isCurrent = current && stage.id === current.id;
            var link = el('a', {href: '#' + (heading(stage.id) || {}).id, 'aria-current': isCurrent ? 'step' : null}, [
                el('span', {className: 'cc-step-mark', 'aria-hidden': 'true', text: stage.status === 'done' ? '✓' : String(index + 1)}),
                el('span', {className: 'cc-step-title', text: stage.title}),
                el('span', {className: 'cc-visually-hidden', text: format(gettext('stage {number} of {total}, {status}'),
                    {number: index + 1, total: total, status: statusText(stage.status, stage.waiting)})})
            ]);
            link.addEventListener('click', function(event) {
                event.preventDefault();
                goTo(stage.id);
            });
            return el('li', {className: 'cc-step', 'data-status': stage.status,
                'data-waiting': stage.waiting ? 'true' : null}, [link]);
        }));
    }

    // --- folding finished stages ---------------------------------------------------------
    function setFolded(item, folded) {
        var body = find('[data-role="body"]', item);
        var toggle = find('[data-role="fold"]', item);
        if (!body || !toggle) { return; }
        body.hidden = folded;
        toggle.setAttribute('aria-expanded', folded ? 'false' : 'true');
        toggle.textContent = folded ? gettext('Show this stage') : gettext('Fold this stage');
    }

    /* After the stages' statuses are drawn: a finished stage gets a button to fold or open it; the
     * stages finished when the page opened start folded, so a finished learner's page is short,
     * unless something in them awaits the learner (`awaits(stage)`: a reflection on their story to
     * answer, a new peer's story to witness). A stage finished during this visit stays open. */
    function fold(state, firstDraw, awaits) {
        state.stages.forEach(function(stage) {
            var item = stageItem(stage.id);
            if (!item) { return; }
            var body = find('[data-role="body"]', item);
            var toggle = find('[data-role="fold"]', item);
            if (stage.status !== 'done') {
                if (toggle) { toggle.hidden = true; }
                return;
            }
            if (firstDraw) { folded[stage.id] = !awaits(stage); }
            if (!toggle) {
                body.id = body.id || newId('body');
                toggle = el('button', {type: 'button', className: 'cc-fold', 'data-role': 'fold',
                    'aria-controls': body.id, 'aria-describedby': heading(stage.id).id});
                toggle.addEventListener('click', function() {
                    folded[stage.id] = !folded[stage.id];
                    setFolded(item, folded[stage.id]);
                });
                find('.cc-stage-heading', item).insertAdjacentElement('afterend', toggle);
            }
            toggle.hidden = false;
            setFolded(item, !!folded[stage.id]);
        });
    }

    // --- the summary at the end ------------------------------------------------------------
    function summary(state, planText) {
        var region = find('[data-role="summary"]');
        var finished = state.stages.length && state.stages.every(function(stage) { return stage.status === 'done'; });
        if (!finished) {
            if (region) { region.hidden = true; }
            return;
        }
        if (!region) {
            region = el('section', {className: 'cc-summary', 'data-role': 'summary'});
            var stepperNav = find('[data-role="stepper"]');
            stepperNav.parentNode.insertBefore(region, stepperNav.nextSibling);
        }
        region.hidden = false;
        var titleId = newId('summary');
        region.setAttribute('aria-labelledby', titleId);
        var kinds = {};
        state.stages.forEach(function(stage) { kinds[stage.id] = stage.kind; });
        var mine = function(kind) {
            return state.contributions.filter(function(item) {
                return item.mine && kinds[item.stage_id] === kind && item.state === 'active';
            })[0];
        };
        var story = mine('narrative'), steps = mine('action');
        var witnesses = story ? state.reflections.filter(function(reflection) {
            return reflection.contribution_id === story.id && !reflection.mine;
        }).map(function(reflection) { return reflection.author_name; }) : [];
        var parts = [
            el('h3', {id: titleId, text: gettext('Your journey through this unit')}),
            el('p', {text: gettext('Every stage is done. Here is where your story went and what you are taking with you.')})
        ];
        parts.push(el('h4', {text: gettext('Your story')}));
        if (!story) {
            parts.push(el('p', {text: gettext('You kept your story to yourself.')}));
        } else if (witnesses.length) {
            parts.push(el('p', {text: format(gettext('Witnessed by: {names}.'), {names: witnesses.join(', ')})}));
        } else {
            parts.push(el('p', {text: story.sharing === 'group'
                ? gettext('Nobody has reflected on it yet.')
                : gettext('You shared it with your facilitator only, so nobody in your group witnessed it.')}));
        }
        parts.push(el('h4', {text: gettext('Your next steps')}));
        parts.push(el('p', {className: 'cc-text', text: steps ? steps.text : gettext('You wrote no next steps.')}));
        parts.push(el('h4', {text: gettext('Your group\'s plan')}));
        parts.push(el('p', {className: 'cc-text', text: planText || gettext('Your group has not saved a plan.')}));
        var checkin = checkinTable(state.checkin);
        if (checkin) { parts.push(el('h4', {text: gettext('Your check-in, at the start and now')}), checkin); }
        parts.push(el('h4', {text: gettext('What next')}));
        parts.push(el('p', {text: gettext('Put one of your next steps in your diary for this week, and go on with ' +
            'the next part of the course. You can come back here at any time: open a stage below to read it again.')}));
        fill(region, parts);
    }

    /* The learner's own check-in answers, at the start and now, once both are given (or null). */
    function checkinTable(mine) {
        if (!mine || !mine.after) { return null; }
        var both = mine.items.filter(function(item) { return item.before !== null && item.after !== null; });
        if (!both.length) { return null; }
        var word = function(value) { return value === 'prefer_not' ? gettext('prefer not to say') : String(value); };
        return el('table', {className: 'cc-table'}, [
            el('caption', {text: gettext('Your answers, from 1 (strongly disagree) to 5 (strongly agree)')}),
            el('thead', {}, [el('tr', {}, [el('th', {scope: 'col', text: gettext('Statement')}),
                el('th', {scope: 'col', text: gettext('At the start')}), el('th', {scope: 'col', text: gettext('Now')})])]),
            el('tbody', {}, both.map(function(item) {
                return el('tr', {}, [el('th', {scope: 'row', text: item.text}), el('td', {text: word(item.before)}),
                    el('td', {text: word(item.after)})]);
            }))]);
    }

    // --- the plan, merged ------------------------------------------------------------------
    /* Lines of two texts in order, each {text, side: 'both' | 'theirs' | 'yours'} (a longest common
     * subsequence of lines; two long texts are simply shown one after the other). */
    function lineDiff(theirs, yours) {
        var a = theirs.split('\n'), b = yours.split('\n');
        if (a.length * b.length > 250000) {
            return a.map(function(text) { return {text: text, side: 'theirs'}; })
                .concat(b.map(function(text) { return {text: text, side: 'yours'}; }));
        }
        var table = [];
        for (var i = a.length; i >= 0; i--) {
            table[i] = [];
            for (var j = b.length; j >= 0; j--) {
                table[i][j] = i === a.length || j === b.length ? 0
                    : a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
            }
        }
        var lines = [];
        i = 0; j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i] === b[j]) { lines.push({text: a[i], side: 'both'}); i++; j++; }
            else if (j >= b.length || (i < a.length && table[i + 1][j] >= table[i][j + 1])) {
                lines.push({text: a[i], side: 'theirs'}); i++;
            } else { lines.push({text: b[j], side: 'yours'}); j++; }
        }
        return lines;
    }

    /* After a save that crossed another member's: both texts, their differences marked, and a way
     * to take lines from either into the plan's field (saving stays the learner's act). */
    function mergeView(theirs, yours, field) {
        var lines = lineDiff(theirs, yours);
        var titleId = newId('merge');
        var boxes = [];
        var list = el('ol', {className: 'cc-merge-lines'}, lines.map(function(line) {
            if (line.side === 'both') {
                return el('li', {className: 'cc-merge-both'}, [el('span', {className: 'cc-text', text: line.text || ' '})]);
            }
            var id = newId('line');
            var box = el('input', {type: 'checkbox', id: id, checked: true});
            boxes.push({box: box, line: line});
            return el('li', {className: 'cc-merge-' + line.side}, [
                el('div', {className: 'cc-check'}, [box, el('label', {'for': id}, [
                    el('strong', {text: line.side === 'theirs' ? gettext('Saved version:') : gettext('Yours:')}),
                    document.createTextNode(' '),
                    el('span', {className: 'cc-text', text: line.text || gettext('(an empty line)')})
                ])])
            ]);
        }));
        var take = el('button', {type: 'button', className: 'cc-button cc-button--quiet',
            text: gettext('Put the ticked lines in the plan')});
        take.addEventListener('click', function() {
            var kept = lines.filter(function(line) {
                return line.side === 'both' || boxes.some(function(entry) { return entry.line === line && entry.box.checked; });
            });
            field.value = kept.map(function(line) { return line.text; }).join('\n');
            field.focus();
            announce(gettext('The plan\'s field now holds the lines you ticked. Read it, then save it.'));
        });
        return el('section', {className: 'cc-conflict', 'aria-labelledby': titleId}, [
            el('h5', {id: titleId, text: gettext('Two versions of the plan')}),
            el('p', {className: 'cc-hint', text: gettext('Someone saved the plan while you were writing. The field ' +
                'above now holds the saved version. Below, the lines that differ are marked: tick the ones to keep ' +
                'from each version, put them in the plan, then save.')}),
            list,
            take
        ]);
    }

    /* The ids of the stages where learners tell their stories, in order. */
    function storyStageIds(state) {
        return state.stages.filter(function(s) { return s.kind === 'narrative'; }).map(function(s) { return s.id; });
    }

    /* What a new state brings that the learner did not do themselves, as one sentence (or ''). */
    function whatIsNew(before, after) {
        var known = function(items) {
            var ids = {};
            items.forEach(function(item) { ids[item.id] = item; });
            return ids;
        };
        var storyStages = storyStageIds(after);
        var oldContributions = known(before.contributions), oldReflections = known(before.reflections);
        var myStories = {};
        after.contributions.forEach(function(c) {
            if (c.mine && storyStages.indexOf(c.stage_id) !== -1) { myStories[c.id] = true; }
        });
        var stories = after.contributions.filter(function(c) {
            return !c.mine && storyStages.indexOf(c.stage_id) !== -1 && !oldContributions[c.id];
        }).length;
        var reflections = after.reflections.filter(function(r) {
            return !r.mine && myStories[r.contribution_id] && !oldReflections[r.id];
        }).length;
        var answers = after.reflections.filter(function(r) {
            return r.mine && r.response && !(oldReflections[r.id] && oldReflections[r.id].response);
        }).length;
        var joined = after.group.members.length - before.group.members.length;
        var wrote = (after.one_to_one || []).filter(function(m) { return m.from === 'facilitator'; }).length -
            (before.one_to_one || []).filter(function(m) { return m.from === 'facilitator'; }).length;
        var parts = [];
        var counted = function(count, one, many) {  // both already translated
            if (count === 1) { parts.push(one); }
            else if (count > 1) { parts.push(format(many, {count: count})); }
        };
        counted(stories, gettext('a new story to witness'), gettext('{count} new stories to witness'));
        counted(reflections, gettext('a new reflection on your story'), gettext('{count} new reflections on your story'));
        counted(answers, gettext('an answer to your reflection'), gettext('{count} answers to your reflections'));
        counted(joined, gettext('a new member'), gettext('{count} new members'));
        counted(wrote, gettext('a message from your facilitator, for you only'),
            gettext('{count} messages from your facilitator, for you only'));
        if (after.group_plan.version > before.group_plan.version) {
            parts.push(format(gettext('the plan, now at version {version}'), {version: after.group_plan.version}));
        }
        return parts.length ? format(gettext('New in your group: {news}.'), {news: parts.join('; ')}) : '';
    }

    return {stepper: stepper, fold: fold, summary: summary, checkinTable: checkinTable, mergeView: mergeView,
        lineDiff: lineDiff, goTo: goTo, statusText: statusText, storyStageIds: storyStageIds, whatIsNew: whatIsNew};
}
