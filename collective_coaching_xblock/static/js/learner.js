/* The learner's view of a collective coaching unit.
 *
 * The server renders the page frame: the group, the stages and the learner's own forms. This
 * script saves through the block's JSON handlers and renders the parts that change with the
 * group's work (peers' stories to witness, reflections and responses, themes, the group plan)
 * from the state the page carries and that every handler answers. Learner text only ever
 * enters the page as text nodes, never as HTML. Drafts and typing kept across redraws are in
 * fields.js; the stepper, folding, summary and "what is new" in journey.js.
 */
function CollectiveCoachingLearner(runtime, element) {
    'use strict';

    var root = element.querySelector('.cc-block') || element;
    var payloadNode = root.querySelector('script[type="application/json"]');
    if (!payloadNode) { return; }  // staff and visitors: nothing to save
    var payload = JSON.parse(payloadNode.textContent);
    var kit = CollectiveCoachingKit(runtime, element, root, payload);
    var gettext = kit.gettext, find = kit.find, findAll = kit.findAll, el = kit.el, fill = kit.fill,
        format = kit.format, newId = kit.newId, announce = kit.announce, call = kit.call;
    var journey = CollectiveCoachingJourney(kit);
    var drawn = false;  // whether the state was drawn once (the page's first drawing folds finished stages)
    var state = payload.state;
    var prompts = payload.prompts;
    var unsavedPlan = null;

    var fields = CollectiveCoachingFields(kit, root, state.drafts);
    var keyed = fields.keyed;

    var addTheme = null;  // set by renderThemes: adds a theme of the learner's own to the form

    /* "Saved" where the person acted, beside the button they pressed (in view on a phone too); when
     * the save opened a stage, a link to it there, which takes the focus. */
    function showSaved(form, key, next) {
        var current = document.body.contains(form) ? form : (key && find(key));
        var button = current && find('button[type="submit"]', current);
        if (!button) { return null; }
        var old = find('.cc-saved', current);
        if (old) { old.parentNode.removeChild(old); }
        var link = next ? el('a', {href: '#', className: 'cc-link',
            text: format(gettext('Go on to: {title}'), {title: next.title})}) : null;
        if (link) {
            link.addEventListener('click', function(event) { event.preventDefault(); journey.goTo(next.id); });
        }
        var note = el('p', {className: 'cc-saved'}, [el('span', {text: '✓ ' + gettext('Saved')}), link]);
        button.insertAdjacentElement('afterend', note);
        current.addEventListener('input', function gone() {
            if (note.parentNode) { note.parentNode.removeChild(note); }
            current.removeEventListener('input', gone);
        });
        return link;
    }

    /* Send a request from a form: busy while it runs, then show the new state and announce. */
    function submit(form, handler, body, message) {
        var button = find('button[type="submit"]', form);
        var key = fields.formKey(form);
        var goOn = null;
        if (button) { button.disabled = true; }
        form.setAttribute('aria-busy', 'true');
        return call(handler, body).then(function(data) {
            fields.forgetDrafts(form);
            return (data.stages ? Promise.resolve(data) : call('get_state')).then(function(newState) {
                if (newState.drafts) { fields.setDrafts(newState.drafts); }
                var next = applyState(newState, true)[0];
                announce(next ? message + ' ' + format(gettext('A new stage is open: {title}.'), {title: next.title})
                    : message);
                goOn = showSaved(form, key, next);
            });
        }).catch(function(error) {
            announce(error.message);
            if (error.status === 409 && handler === 'save_group_plan') {
                unsavedPlan = body.text;  // shown beside the saved version, to take lines from
                fields.dropDraft('plan');  // the field shows the saved version, not the learner's draft of it
                state.group_plan.text = error.data.text;
                state.group_plan.version = error.data.version;
                renderPlan();
            }
        }).then(function() {
            var lostFocus = !document.activeElement || document.activeElement === document.body;
            if (button && document.body.contains(button)) {
                button.disabled = false;
                if (lostFocus && !goOn) { button.focus(); }  // a disabled button drops the focus: give it back
            }
            if (goOn && (lostFocus || document.activeElement === button)) { goOn.focus(); }  // on to what opened
            form.removeAttribute('aria-busy');
        });
    }

    function nameOf(memberId) {
        var member = state.group.members.filter(function(m) { return m.id === memberId; })[0];
        return member ? member.name : '';
    }

    // --- flagging ------------------------------------------------------------------------
    function flagControl(kind, id) {
        var details = el('details', {className: 'cc-flag'});
        var reasonId = newId('flag');
        var form = el('form', {className: 'cc-form'}, [
            el('label', {'for': reasonId, text: gettext('Why is this harmful? Your facilitator will read it.')}),
            keyed(el('textarea', {id: reasonId, name: 'reason', rows: 3, maxlength: 2000, required: true}),
                'flag:' + kind + ':' + id, ''),
            el('button', {type: 'submit', className: 'cc-button cc-button--quiet', text: gettext('Send flag')})
        ]);
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            submit(form, 'flag_content', {kind: kind, id: id, reason: find('textarea', form).value},
                gettext('Thank you. Your facilitator will look at it; it is hidden for you.'));
        });
        details.appendChild(el('summary', {text: gettext('Flag as harmful')}));
        details.appendChild(form);
        return details;
    }

    // --- regions -------------------------------------------------------------------------
    function storyArticle(contribution, headingText) {
        return el('article', {className: 'cc-story'}, [
            el('h4', {text: headingText}),
            el('p', {className: 'cc-text', text: contribution.text})
        ]);
    }

    function promptText(promptId) {
        var prompt = prompts.filter(function(p) { return p.id === promptId; })[0];
        return prompt ? prompt.text : promptId;
    }

    function answersList(answers) {
        return el('dl', {className: 'cc-answers'}, Object.keys(answers).reduce(function(items, key) {
            if (answers[key]) {
                items.push(el('dt', {text: promptText(key)}));
                items.push(el('dd', {className: 'cc-text', text: answers[key]}));
            }
            return items;
        }, []));
    }

    function renderWitness() {
        var region = find('[data-role="witness"]');
        if (!region) { return; }
        var storyStages = journey.storyStageIds(state);
        var stories = state.contributions.filter(function(c) { return !c.mine && storyStages.indexOf(c.stage_id) !== -1; });
        var waitingOn = state.group.members.filter(function(m) { return !m.me && !m.shared_story; })
            .map(function(m) { return m.name; });
        var children = [];
        if (waitingOn.length) {
            // Whom the group waits for, and since when: since the learner shared their own story.
            var myStory = state.contributions.filter(function(c) {
                return c.mine && storyStages.indexOf(c.stage_id) !== -1 && c.sharing === 'group' && c.state === 'active';
            })[0];
            children.push(el('p', {className: 'cc-waiting', text: myStory
                ? format(gettext('Since you shared your story on {when}, your group is waiting for stories from: {names}.'),
                    {when: kit.when(myStory.at), names: waitingOn.join(', ')})
                : format(gettext('Waiting for stories from: {names}.'), {names: waitingOn.join(', ')})}));
        }
        var waitingStage = state.stages.filter(function(s) { return s.kind === 'witness' && s.waiting; })[0];
        if (waitingStage) {
            // Nothing to witness yet: the learner's own stages after this one need not wait.
            var goOn = state.stages.some(function(s) {
                return state.stages.indexOf(s) > state.stages.indexOf(waitingStage) && s.status === 'open';
            });
            children.push(el('p', {className: 'cc-note', text: goOn
                ? gettext('You need not wait here: the stages after this one are yours alone and open now. ' +
                    'Come back when a peer shares their story.')
                : gettext('Your part here waits for a peer\'s story. Come back when one is shared: you will ' +
                    'find it here.')}));
        }
        var sharedByPeers = state.group.members.filter(function(m) { return !m.me && m.shared_story; }).length;
        var iShared = state.group.members.some(function(m) { return m.me && m.shared_story; });
        if (!stories.length && sharedByPeers && !iShared) {
            // Say that peers' stories exist and how to open them, rather than "no stories yet".
            children.push(el('p', {className: 'cc-note', text: format(gettext(
                'Stories shared by your peers: {count}. They open for you once you share your own story with ' +
                'your group: choose "My group (and the facilitator)" in the story stage and save.'),
                {count: sharedByPeers})}));
        } else if (!stories.length && !waitingStage) {  // a waiting stage has said so already
            children.push(el('p', {className: 'cc-empty', text: gettext(
                'No stories from your peers to witness yet. They appear here once their authors share them ' +
                'with the group, and once you have shared your own.')}));
        }
        stories.forEach(function(story) {
            var mine = state.reflections.filter(function(r) { return r.mine && r.contribution_id === story.id; })[0];
            var form = el('form', {className: 'cc-form', 'data-contribution-id': story.id});
            prompts.forEach(function(prompt) {
                var fieldId = newId('answer');
                form.appendChild(el('label', {'for': fieldId, className: 'cc-label', text: prompt.text}));
                form.appendChild(keyed(el('textarea', {id: fieldId, name: prompt.id, rows: 3, maxlength: 20000}),
                    'reflection:' + story.id + ':' + prompt.id, mine && mine.answers[prompt.id] ? mine.answers[prompt.id] : ''));
            });
            form.appendChild(el('button', {type: 'submit', className: 'cc-button',
                text: mine ? gettext('Update my reflection') : gettext('Share my reflection')}));
            form.addEventListener('submit', function(event) {
                event.preventDefault();
                var answers = {};
                findAll('textarea', form).forEach(function(area) { answers[area.name] = area.value; });
                submit(form, 'submit_reflection', {contribution_id: story.id, answers: answers},
                    format(gettext('Your reflection on {name}\'s story is shared with them.'),
                        {name: story.author_name}));
            });
            var hiddenNote = mine && mine.hidden ? el('p', {className: 'cc-note', text: mine.hidden_reason
                ? format(gettext('Your facilitator has hidden your reflection from {name}. Their reason: {reason}'),
                    {name: story.author_name, reason: mine.hidden_reason})
                : format(gettext('Your facilitator has hidden your reflection from {name}.'), {name: story.author_name})})
                : null;
            var response = mine && mine.response ? el('p', {className: 'cc-response'}, [
                el('strong', {text: format(gettext('{name} responded:'), {name: story.author_name}) + ' '}),
                el('span', {className: 'cc-text', text: mine.response})
            ]) : null;
            children.push(el('section', {className: 'cc-witness', 'aria-label': format(
                gettext('{name}\'s story'), {name: story.author_name})}, [
                storyArticle(story, storyStages.length > 1
                    ? format(gettext('{name}: {stage}'), {name: story.author_name, stage: stageTitleOf(story.stage_id)})
                    : format(gettext('{name}\'s story'), {name: story.author_name})),
                flagControl('contribution', story.id),
                hiddenNote,
                form,
                response,
                mine && mine.response ? flagControl('response', mine.id) : null
            ]));
        });
        fill(region, children);
    }

    function stageTitleOf(stageId) {
        var stage = state.stages.filter(function(s) { return s.id === stageId; })[0];
        return stage ? stage.title : '';
    }

    function renderMyStory() {
        findAll('[data-role="my-story"]').forEach(function(region, index) {
            var stageId = region.closest('[data-stage-id]').getAttribute('data-stage-id');
            // The one-to-one thread beside the learner's (first) story.
            fill(region, myStoryParts(stageId).concat(index === 0 ? oneToOne() : []));
        });
    }

    /* One to one: the private thread with the facilitators, and the learner's answer. */
    function oneToOne() {
        if (!state.one_to_one || !state.one_to_one.length) { return []; }
        var titleId = newId('thread');
        var fieldId = newId('answer');
        var form = el('form', {className: 'cc-form', 'data-role': 'one-to-one-form'}, [
            el('label', {'for': fieldId, className: 'cc-label', text: gettext('Answer your facilitator')}),
            keyed(el('textarea', {id: fieldId, name: 'text', rows: 3, maxlength: 5000, required: true}), 'one-to-one', ''),
            el('button', {type: 'submit', className: 'cc-button', text: gettext('Send to my facilitator')})
        ]);
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            submit(form, 'answer_facilitator', {text: find('textarea', form).value},
                gettext('Sent. Only your facilitators read it.'));
        });
        return [el('section', {className: 'cc-one-to-one', 'aria-labelledby': titleId}, [
            el('h4', {id: titleId, text: gettext('Between you and your facilitator')}),
            el('p', {className: 'cc-hint', text: gettext('Only you and the facilitators of your cohort read this; ' +
                'your group never does.')}),
            el('ol', {className: 'cc-thread'}, state.one_to_one.map(function(message) {
                return el('li', {className: 'cc-message cc-message--' + message.from}, [
                    el('strong', {text: message.from === 'learner' ? gettext('You') : (message.name || gettext('Your facilitator'))}),
                    el('span', {className: 'cc-when', text: ' · ' + kit.when(message.at)}),
                    el('p', {className: 'cc-text', text: message.text})
                ]);
            })),
            form
        ])];
    }

    function myStoryParts(stageId) {
        var story = state.contributions.filter(function(c) { return c.mine && c.stage_id === stageId; })[0];
        var children = [];
        if (story && story.hidden) {
            children.push(el('p', {className: 'cc-note', text: gettext(
                'Your facilitator has hidden this story from your group. Contact them if you have questions.') +
                (story.hidden_reason ? ' ' + format(gettext('Their reason: {reason}'), {reason: story.hidden_reason}) : '')}));
        }
        if (keptFromGroupByConsent(story)) {
            // What is shared now, and how to share again, where the story is.
            children.push(el('p', {className: 'cc-note', 'data-role': 'consent-note', text: gettext(
                'Your group does not read this story while your consent is withdrawn. To share it with them ' +
                'again, agree to the group contract: tick its box and save.')}));
        }
        if (story && story.state === 'active') {
            var withdraw = el('button', {type: 'button', className: 'cc-button cc-button--quiet',
                text: gettext('Withdraw my story')});
            withdraw.addEventListener('click', function() {
                if (!window.confirm(gettext('Withdraw your story? It and the reflections on it disappear for your group.'))) {
                    return;
                }
                var form = withdraw.parentNode;
                submit(form, 'withdraw_contribution', {contribution_id: story.id},
                    gettext('Your story is withdrawn. Your group no longer sees it.'));
            });
            children.push(el('div', {className: 'cc-actions'}, [withdraw]));
        }
        var reflections = story ? state.reflections.filter(function(r) {
            return !r.mine && r.contribution_id === story.id;
        }) : [];
        if (reflections.length) {
            children.push(el('h4', {text: gettext('What your group heard in your story')}));
        }
        reflections.forEach(function(reflection) {
            var fieldId = newId('response');
            var form = el('form', {className: 'cc-form'}, [
                el('label', {'for': fieldId, className: 'cc-label', text: format(
                    gettext('Your response to {name}'), {name: reflection.author_name})}),
                keyed(el('textarea', {id: fieldId, name: 'text', rows: 3, maxlength: 20000, required: true}),
                    'response:' + reflection.id, reflection.response || ''),
                el('button', {type: 'submit', className: 'cc-button', text: gettext('Save my response')})
            ]);
            form.addEventListener('submit', function(event) {
                event.preventDefault();
                submit(form, 'respond_to_reflection', {reflection_id: reflection.id, text: find('textarea', form).value},
                    gettext('Your response is saved.'));
            });
            children.push(el('section', {className: 'cc-witness', 'aria-label': format(
                gettext('Reflection from {name}'), {name: reflection.author_name})}, [
                el('h5', {text: format(gettext('From {name}'), {name: reflection.author_name})}),
                answersList(reflection.answers),
                flagControl('reflection', reflection.id),
                reflection.response_hidden ? el('p', {className: 'cc-note', text: reflection.response_hidden_reason
                    ? format(gettext('Your facilitator has hidden your response. Their reason: {reason}'),
                        {reason: reflection.response_hidden_reason})
                    : gettext('Your facilitator has hidden your response.')}) : null,
                form
            ]));
        });
        return children;
    }

    function renderThemes() {
        var region = find('[data-role="themes"]');
        if (!region) { return; }
        var mine = {};
        state.themes.mine.forEach(function(tag) { mine[tag.theme] = tag.structural ? 'structural' : 'personal'; });
        var themes = state.themes.choices.map(function(choice) { return choice; });
        state.themes.mine.forEach(function(tag) {
            if (!themes.some(function(choice) { return choice.theme === tag.theme; })) {
                themes.push({theme: tag.theme, label: tag.theme});
            }
        });
        var form = el('form', {className: 'cc-form'});
        var list = el('div', {className: 'cc-theme-list'});
        // Suggested from the learner's own words (theirs alone): only ever a suggestion, nothing is ticked.
        var suggested = {};
        (state.themes.suggestions || []).forEach(function(suggestion) { suggested[suggestion.theme] = suggestion; });
        function suggestionNote(theme) {
            var suggestion = suggested[theme];
            if (!suggestion) { return null; }
            var words = suggestion.words.map(function(word) { return format(gettext('“{word}”'), {word: word}); });
            return el('p', {className: 'cc-suggestion',
                text: format(gettext('Suggested: your story mentions {words}.'), {words: words.join(', ')})});
        }
        function themeFieldset(theme, label, value) {
            var name = newId('theme');
            var options = [['none', gettext('Not in my story')], ['structural', gettext('Structural')],
                ['personal', gettext('Personal')]];
            return el('fieldset', {className: 'cc-theme', 'data-theme': theme, 'data-saved': value || 'none'},
                [el('legend', {text: label}), suggestionNote(theme)]
                .concat(options.map(function(option) {
                    var id = newId('opt');
                    return el('span', {className: 'cc-radio'}, [
                        el('input', {type: 'radio', id: id, name: name, value: option[0],
                            checked: (value || 'none') === option[0]}),
                        el('label', {'for': id, text: option[1]})
                    ]);
                })));
        }
        themes.forEach(function(theme) { list.appendChild(themeFieldset(theme.theme, theme.label, mine[theme.theme])); });
        if (state.themes.suggestions && state.themes.suggestions.length) {
            form.appendChild(el('p', {className: 'cc-hint', text: format(gettext('Your story may speak of: {themes}. ' +
                'This is only a suggestion from its words, for you alone: tag what you see, and say yourself ' +
                'whether it is structural or personal.'), {themes: state.themes.suggestions.map(function(s) {
                    return s.label; }).join(', ')})}));
        }
        var ownId = newId('own');
        var own = keyed(el('input', {type: 'text', id: ownId, maxlength: 100}), 'own-theme', '');
        var add = el('button', {type: 'button', className: 'cc-button cc-button--quiet', text: gettext('Add theme')});
        addTheme = function(theme) {
            var fieldset = themeFieldset(theme, theme, null);
            fieldset.setAttribute('data-added', '');
            list.appendChild(fieldset);
            return fieldset;
        };
        add.addEventListener('click', function() {
            var theme = own.value.trim().toLowerCase();
            if (!theme) { return; }
            var fieldset = find('fieldset.cc-theme[data-theme="' + fields.cssEscape(theme) + '"]', list) || addTheme(theme);
            find('input[value="personal"]', fieldset).checked = true;
            own.value = '';
            find('input[value="personal"]', fieldset).focus();
            announce(format(gettext('Theme "{theme}" added; choose structural or personal.'), {theme: theme}));
        });
        // Enter in the theme's field adds the theme; it does not send the whole form.
        own.addEventListener('keydown', function(event) {
            if (event.key === 'Enter') { event.preventDefault(); add.click(); }
        });
        form.appendChild(list);
        form.appendChild(el('div', {className: 'cc-add-theme'}, [
            el('label', {'for': ownId, text: gettext('Another theme of your own')}), own, add]));
        form.appendChild(el('button', {type: 'submit', className: 'cc-button', text: gettext('Save my themes')}));
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var tags = [];
            findAll('fieldset.cc-theme', form).forEach(function(fieldset) {
                var checked = find('input:checked', fieldset);
                if (checked && checked.value !== 'none') {
                    tags.push({theme: fieldset.getAttribute('data-theme'), structural: checked.value === 'structural'});
                }
            });
            submit(form, 'tag_themes', {themes: tags}, gettext('Your themes are saved.'));
        });
        var table = el('table', {className: 'cc-theme-map'}, [
            el('caption', {text: gettext('Themes your group shares')}),
            el('thead', {}, [el('tr', {}, [
                el('th', {scope: 'col', text: gettext('Theme')}),
                el('th', {scope: 'col', text: gettext('Members who named it')}),
                el('th', {scope: 'col', text: gettext('Of them, called it structural')})
            ])]),
            el('tbody', {}, state.themes.map.map(function(entry) {
                return el('tr', {}, [
                    el('th', {scope: 'row', text: entry.label}),
                    el('td', {text: String(entry.members)}),
                    el('td', {text: String(entry.structural)})
                ]);
            }))
        ]);
        fill(region, [form, state.themes.map.length ? table : el('p', {className: 'cc-empty',
            text: gettext('No shared themes yet: they appear once members tag the stories they shared.')})]);
    }

    /* The plan's earlier versions, read from the server when the learner asks: each opens to its text. */
    function planHistory() {
        var listId = newId('versions');
        var list = el('div', {id: listId, className: 'cc-history', hidden: true});
        var button = el('button', {type: 'button', className: 'cc-button cc-button--quiet', 'aria-expanded': 'false',
            'aria-controls': listId, text: gettext('Show earlier versions')});
        button.addEventListener('click', function() {
            if (button.getAttribute('aria-expanded') === 'true') {
                list.hidden = true;
                button.setAttribute('aria-expanded', 'false');
                button.textContent = gettext('Show earlier versions');
                return;
            }
            button.disabled = true;
            call('plan_history').then(function(data) {
                fill(list, data.versions.map(function(entry) {
                    return el('details', {className: 'cc-version'}, [
                        el('summary', {text: format(gettext('Version {version}, saved by {name} on {when}'), {
                            version: entry.version, name: entry.author || gettext('a former member'),
                            when: kit.when(entry.at)})}),
                        el('p', {className: 'cc-text', text: entry.text})
                    ]);
                }));
                list.hidden = false;
                button.setAttribute('aria-expanded', 'true');
                button.textContent = gettext('Hide earlier versions');
            }).catch(function(error) { announce(error.message); }).then(function() {
                button.disabled = false;
                button.focus();
            });
        });
        return el('div', {className: 'cc-plan-history'}, [el('h5', {text: gettext('History')}), button, list]);
    }

    function renderPlan() {
        var region = find('[data-role="plan"]');
        if (!region) { return; }
        var plan = state.group_plan;
        var fieldId = newId('plan');
        var form = el('form', {className: 'cc-form'}, [
            el('label', {'for': fieldId, className: 'cc-label', text: gettext('Our group\'s action plan')}),
            el('p', {className: 'cc-hint', text: gettext('Everyone in your group can edit this plan. If someone ' +
                'saves while you edit, you will see their version and keep yours to merge.')}),
            keyed(el('textarea', {id: fieldId, name: 'text', rows: 6, maxlength: 20000}), 'plan', plan.text),
            el('button', {type: 'submit', className: 'cc-button', text: gettext('Save the group plan')})
        ]);
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            unsavedPlan = null;
            submit(form, 'save_group_plan', {text: find('textarea', form).value, version: plan.version},
                gettext('The group plan is saved.'));
        });
        var children = [el('h4', {text: gettext('Together: our collective plan')}), form];
        if (unsavedPlan !== null) { children.push(journey.mergeView(plan.text, unsavedPlan, find('textarea', form))); }
        if (plan.version > 1) { children.push(planHistory()); }
        var actionStage = state.stages.filter(function(s) { return s.kind === 'action'; })[0];
        var steps = state.contributions.filter(function(c) { return !c.mine && actionStage && c.stage_id === actionStage.id; });
        if (steps.length) {
            children.push(el('h5', {text: gettext('Next steps your group shared')}));
            steps.forEach(function(step) {
                children.push(storyArticle(step, step.author_name));
                children.push(flagControl('contribution', step.id));
            });
        }
        fill(region, children);
    }

    // --- state ---------------------------------------------------------------------------
    var newsBox = find('input[data-role="email-news"]');
    var newsSaving = 0;  // saves of the box in flight: a state read meanwhile does not undo the click

    /* Draw the state; the stages it opened (``quiet``: announced by the caller, not here). */
    function applyState(newState, quiet) {
        var opened = [];
        // A write answers without the group's fingerprint: keep the last one (the next look then
        // reads the state once more, and finds nothing new to announce).
        if (!newState.fingerprint && state) { newState.fingerprint = state.fingerprint; }
        state = newState;
        state.stages.forEach(function(stage) {
            var item = find('[data-stage-id="' + stage.id + '"]');
            if (!item) { return; }
            var wasLocked = item.getAttribute('data-status') === 'locked';
            item.setAttribute('data-status', stage.status);
            find('[data-role="status"]', item).textContent = journey.statusText(stage.status, stage.waiting);
            find('[data-role="locked"]', item).hidden = stage.status !== 'locked';
            find('[data-role="body"]', item).hidden = stage.status === 'locked';
            if (wasLocked && stage.status !== 'locked') {
                opened.push(stage);
                if (!quiet) {
                    window.setTimeout(function() {
                        announce(format(gettext('A new stage is open: {title}.'), {title: stage.title}));
                    }, 1500);
                }
            }
        });
        journey.stepper(state);
        journey.fold(state, !drawn, awaitsLearner);
        drawn = true;
        find('[data-role="score-earned"]').textContent = String(Math.round(state.score.earned * 100) / 100);
        find('[data-role="score-possible"]').textContent = String(Math.round(state.score.possible * 100) / 100);
        find('[data-role="waiting"]').hidden = !state.group.waiting;
        var mergeNote = find('[data-role="merge-note"]');
        mergeNote.hidden = !state.group.merge_by;
        mergeNote.textContent = !state.group.merge_by ? '' : format(state.group.members.length < 2
            ? gettext('If nobody joins your group by {when}, you will be placed in another group of your cohort, ' +
                'with all your work.')
            : gettext('Your group is still small. If nobody joins it by {when}, it will be merged into another ' +
                'group of your cohort, with all your work.'), {when: kit.when(state.group.merge_by)});
        if (newsBox && !newsSaving) { newsBox.checked = !!state.email_news; }
        fill(find('[data-role="members"]'), state.group.members.map(function(member) {
            return el('li', {text: member.me ? format(gettext('{name} (you)'), {name: member.name}) : member.name});
        }));
        findAll('form[data-role="contract-form"]').forEach(function(form) {
            find('input[name="consent"]', form).checked = !!state.consent;
            var contract = myContribution(form.getAttribute('data-stage-id'));
            var note = find('[data-role="consent-note"]', form);
            if (!note) {
                note = el('p', {className: 'cc-note', 'data-role': 'consent-note'});
                form.insertBefore(note, form.firstChild);
            }
            // After a withdrawal: what is shared now, and how to share again.
            note.hidden = !!state.consent || !contract || contract.state !== 'withdrawn';
            note.textContent = gettext('You withdrew your consent. Your group no longer reads your story, your ' +
                'reflections or your responses; your facilitator still reads what you shared with them. To share ' +
                'with your group again, tick the box and save.');
        });
        fields.keepTyping(function() {
            renderMyStory();
            renderWitness();
            renderThemes();
            renderPlan();
            renderCheckin();
        }, function(theme) { if (addTheme) { addTheme(theme); } });
        journey.summary(state, state.group_plan.text);
        return opened;
    }

    /* Whether a finished stage holds something for the learner to do: a reflection on their story
     * or a facilitator's message to answer, or a peer's story they have not witnessed yet. */
    function awaitsLearner(stage) {
        var mine = state.contributions.filter(function(item) { return item.mine && item.stage_id === stage.id; })[0];
        if (stage.kind === 'narrative') {
            var thread = state.one_to_one || [];
            var firstStory = journey.storyStageIds(state)[0];
            if (firstStory === stage.id && thread.length && thread[thread.length - 1].from === 'facilitator') {
                return true;  // a facilitator's message waits for an answer beside the story
            }
            if (keptFromGroupByConsent(mine)) {
                return true;  // the note on how to share it again
            }
            return !!mine && state.reflections.some(function(reflection) {
                return reflection.contribution_id === mine.id && !reflection.mine && !reflection.response;
            });
        }
        if (stage.kind === 'witness') {
            var storyStages = journey.storyStageIds(state);
            return state.contributions.some(function(item) {
                return !item.mine && storyStages.indexOf(item.stage_id) !== -1 && !state.reflections.some(function(reflection) {
                    return reflection.mine && reflection.contribution_id === item.id;
                });
            });
        }
        return false;
    }

    /* Whether the learner's `story`, shared with the group, is kept from it because the learner agreed
     * to the group contract once and has since withdrawn their consent. */
    function keptFromGroupByConsent(story) {
        return !!story && story.state === 'active' && story.sharing === 'group' && !state.consent &&
            state.contributions.some(function(item) {
                return item.mine && item.state === 'withdrawn' && state.stages.some(function(stage) {
                    return stage.id === item.stage_id && stage.kind === 'contract';
                });
            });
    }

    function myContribution(stageId) {
        return state.contributions.filter(function(item) { return item.mine && item.stage_id === stageId; })[0];
    }

    // --- the server-rendered forms -------------------------------------------------------
    findAll('form[data-role="contract-form"]').forEach(function(form) {
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var stageId = form.getAttribute('data-stage-id');
            var agreed = find('input[name="consent"]', form).checked;
            var existing = myContribution(stageId);
            if (agreed) {
                submit(form, 'submit_contribution', {stage_id: stageId, text: ''},
                    gettext('Thank you: you agreed to the group contract.'));
            } else if (existing && existing.state === 'active') {
                submit(form, 'withdraw_contribution', {contribution_id: existing.id},
                    gettext('Your consent is withdrawn. Your group no longer sees what you shared.'));
            } else {
                announce(gettext('Tick the box to agree to the group contract.'));
            }
        });
    });

    findAll('form[data-role="contribution-form"]').forEach(function(form) {
        var area = find('textarea[name="text"]', form);
        keyed(area, 'contribution:' + form.getAttribute('data-stage-id'), area.value);
        if (area.hasAttribute('data-restored')) {
            area.parentNode.insertBefore(el('p', {className: 'cc-hint', text: gettext(
                'Your unsaved draft is back. Only you can read it until you save it.')}), area);
        }
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var sharing = find('input[name="sharing"]:checked', form);
            submit(form, 'submit_contribution', {
                stage_id: form.getAttribute('data-stage-id'),
                text: find('textarea[name="text"]', form).value,
                sharing: sharing ? sharing.value : null
            }, gettext('Saved.'));
        });
    });

    // Check-ins: every statement answered (a number or "prefer not to say"), then sent at once.
    findAll('form[data-role="checkin-form"]').forEach(function(form) {
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var answers = {};
            findAll('fieldset[data-item]', form).forEach(function(fieldset) {
                var checked = find('input:checked', fieldset);
                if (checked) {
                    answers[fieldset.getAttribute('data-item')] = checked.value === 'prefer_not' ? 'prefer_not'
                        : Number(checked.value);
                }
            });
            submit(form, 'submit_contribution', {stage_id: form.getAttribute('data-stage-id'), answers: answers},
                gettext('Your answers are saved.'));
        });
    });
    /* Under the last check-in, once both are answered: the learner's own answers, before and after. */
    function renderCheckin() {
        var mine = state.checkin;
        var region = mine && mine.after && find('[data-role="checkin-result"][data-stage-id="' + mine.after + '"]');
        if (region) { fill(region, [journey.checkinTable(mine)].filter(Boolean)); }
    }

    // The group's news by email: saved as soon as the box changes, and said through the live region.
    if (newsBox) {
        newsBox.addEventListener('change', function() {
            newsSaving += 1;
            call('set_email_news', {email: newsBox.checked}).then(function(answer) {
                state.email_news = answer.email_news;
                announce(answer.email_news
                    ? gettext("Saved: you will get your group's news by email, at most once a day.")
                    : gettext("Saved: you will get no more emails about your group's news."));
            }).catch(function(error) {
                announce(error.message);
            }).then(function() {
                newsSaving -= 1;
                if (!newsSaving) { newsBox.checked = !!state.email_news; }  // what the server keeps
            });
        });
    }

    // --- staying current: while the page is visible, it asks what changed in the group --------
    var LOOK_EVERY_MS = 10000;
    var lookTimer = null;

    function look() {
        window.clearTimeout(lookTimer);
        if (document.hidden) { return; }  // looked at again when the page is visible
        call('changes', {since: state.fingerprint || ''}).then(function(answer) {
            if (!answer.changed) { return null; }
            return call('get_state').then(function(newState) {
                fields.whenIdle(function() {
                    var news = journey.whatIsNew(state, newState);
                    applyState(newState);
                    if (news) { announce(news); }
                });
            });
        }).catch(function() { /* offline for a moment: the next look tries again */ }).then(function() {
            lookTimer = window.setTimeout(look, LOOK_EVERY_MS);
        });
    }
    document.addEventListener('visibilitychange', function() { if (!document.hidden) { look(); } });
    lookTimer = window.setTimeout(look, LOOK_EVERY_MS);

    applyState(state);
}
