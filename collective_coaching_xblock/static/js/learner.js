/* The learner's view of a collective coaching unit.
 *
 * The page is rendered on the server; this script saves forms through the block's JSON
 * handlers and brings the changing parts (statuses, score, group, stories) up to date from
 * `get_state`. Learner text is only ever put into the page as text nodes, never as HTML.
 */
function CollectiveCoachingLearner(runtime, element, initArgs) {
    'use strict';

    var root = element.querySelector('.cc-block') || element;
    var gettext = (typeof window.gettext === 'function') ? window.gettext : function(text) { return text; };
    var state = initArgs && initArgs.state;

    function find(selector, scope) { return (scope || root).querySelector(selector); }
    function findAll(selector, scope) {
        return Array.prototype.slice.call((scope || root).querySelectorAll(selector));
    }

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }

    function announce(message) {
        var live = find('[data-role="live"]');
        // Clear first so that the same message twice is announced twice.
        live.textContent = '';
        window.setTimeout(function() { live.textContent = message; }, 50);
    }

    function call(handler, body) {
        return fetch(runtime.handlerUrl(element, handler), {
            method: 'POST',
            credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrfToken()},
            body: JSON.stringify(body || {})
        }).then(function(response) {
            return response.json().catch(function() { return {}; }).then(function(data) {
                if (!response.ok) {
                    throw new Error(data.error || gettext('Something went wrong. Please try again.'));
                }
                return data;
            });
        });
    }

    function statusLabel(status) {
        return {locked: gettext('Locked'), open: gettext('Open'), done: gettext('Done')}[status] || status;
    }

    function replaceChildren(parent, children) {
        while (parent.firstChild) { parent.removeChild(parent.firstChild); }
        children.forEach(function(child) { parent.appendChild(child); });
    }

    function el(tag, className, text) {
        var node = document.createElement(tag);
        if (className) { node.className = className; }
        if (text !== undefined) { node.textContent = text; }
        return node;
    }

    function formatPoints(value) {
        return String(Math.round(value * 100) / 100);
    }

    function applyState(newState) {
        state = newState;
        state.stages.forEach(function(stage) {
            var item = find('[data-stage-id="' + stage.id + '"]');
            if (!item) { return; }
            var wasLocked = item.getAttribute('data-status') === 'locked';
            item.setAttribute('data-status', stage.status);
            find('[data-role="status"]', item).textContent = statusLabel(stage.status);
            find('[data-role="locked"]', item).hidden = stage.status !== 'locked';
            find('[data-role="body"]', item).hidden = stage.status === 'locked';
            if (wasLocked && stage.status !== 'locked') {
                announce(gettext('A new stage is open: ') + stage.title);
            }
        });
        find('[data-role="score-earned"]').textContent = formatPoints(state.score.earned);
        find('[data-role="score-possible"]').textContent = formatPoints(state.score.possible);
        find('[data-role="waiting"]').hidden = !state.group.waiting;
        replaceChildren(find('[data-role="members"]'), state.group.members.map(function(member) {
            return el('li', '', member.me ? member.name + ' (' + gettext('you') + ')' : member.name);
        }));
        var titles = {};
        state.stages.forEach(function(stage) { titles[stage.id] = stage.title; });
        var stories = state.contributions.filter(function(item) { return !item.mine; });
        replaceChildren(find('[data-role="stories"]'), stories.map(function(item) {
            var article = el('article', 'cc-story');
            article.appendChild(el('h4', '', item.author_name + ': ' + (titles[item.stage_id] || '')));
            article.appendChild(el('p', 'cc-text', item.text));
            var li = el('li');
            li.appendChild(article);
            return li;
        }));
        find('[data-role="stories-empty"]').hidden = stories.length > 0;
    }

    function myContribution(stageId) {
        return (state.contributions || []).filter(function(item) {
            return item.mine && item.stage_id === stageId;
        })[0];
    }

    function refresh() {
        return call('get_state').then(applyState);
    }

    function withBusy(form, promise) {
        var button = find('button[type="submit"]', form);
        button.disabled = true;
        form.setAttribute('aria-busy', 'true');
        return promise.then(refresh).catch(function(error) {
            announce(error.message);
        }).then(function() {
            button.disabled = false;
            form.removeAttribute('aria-busy');
        });
    }

    findAll('form[data-role="contract-form"]').forEach(function(form) {
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var stageId = form.getAttribute('data-stage-id');
            var agreed = find('input[name="consent"]', form).checked;
            var existing = myContribution(stageId);
            var request;
            if (agreed) {
                request = call('submit_contribution', {stage_id: stageId, text: ''}).then(function() {
                    announce(gettext('Thank you: you agreed to the group contract.'));
                });
            } else if (existing) {
                request = call('withdraw_contribution', {contribution_id: existing.id}).then(function() {
                    announce(gettext('Your consent is withdrawn. Your group no longer sees what you shared.'));
                });
            } else {
                request = Promise.resolve(announce(gettext('Tick the box to agree to the group contract.')));
            }
            withBusy(form, request);
        });
    });

    findAll('form[data-role="contribution-form"]').forEach(function(form) {
        form.addEventListener('submit', function(event) {
            event.preventDefault();
            var sharing = find('input[name="sharing"]:checked', form);
            var body = {
                stage_id: form.getAttribute('data-stage-id'),
                text: find('textarea[name="text"]', form).value,
                sharing: sharing ? sharing.value : null
            };
            withBusy(form, call('submit_contribution', body).then(function() {
                announce(gettext('Saved.'));
            }));
        });
    });
}
