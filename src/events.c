// SPDX-License-Identifier: GPL-2.0
/*
 * Event queue.  Events are born in the datapath (softirq or a sender's
 * context) where we must not allocate or sleep, so they are copied into a
 * small ring and handed to the sink (netlink's multicast group, which
 * registers at init) by a work item.  When nobody listens nothing is
 * queued; when the ring is full the event is lost (and counted in the next
 * one's count where it is a failure).
 *
 * A leaf: every layer may report an event, and this file calls none of
 * them (the sink is a pointer netlink hands in).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "events.h"

/* Where events go; NULL before netlink registered and after it left. */
static const struct tcpao_event_sink *tcpao_sink;

void tcpao_events_set_sink(const struct tcpao_event_sink *sink)
{
	WRITE_ONCE(tcpao_sink, sink);
}

bool tcpao_events_wanted(struct tcpao_net *tn)
{
	const struct tcpao_event_sink *sink = READ_ONCE(tcpao_sink);

	return sink && sink->wanted(tn->net);
}

static void tcpao_events_work(struct work_struct *work)
{
	struct tcpao_events *evs = container_of(work, struct tcpao_events,
						work);
	const struct tcpao_event_sink *sink;
	struct tcpao_ev ev;

	for (;;) {
		spin_lock_bh(&evs->lock);
		if (evs->head == evs->tail) {
			spin_unlock_bh(&evs->lock);
			return;
		}
		ev = evs->ring[evs->tail % TCPAO_EV_RING];
		evs->tail++;
		spin_unlock_bh(&evs->lock);
		sink = READ_ONCE(tcpao_sink);
		if (sink)
			sink->send(evs->tn->net, &ev);
	}
}

void tcpao_event_queue(struct tcpao_net *tn, const struct tcpao_ev *ev)
{
	struct tcpao_events *evs = tn->events;
	bool queued = false;

	spin_lock_bh(&evs->lock);
	if (evs->head - evs->tail < TCPAO_EV_RING) {
		evs->ring[evs->head % TCPAO_EV_RING] = *ev;
		evs->head++;
		queued = true;
	}
	spin_unlock_bh(&evs->lock);
	if (queued)
		schedule_work(&evs->work);
}

void tcpao_event_key_active(struct tcpao_net *tn, const char *keychain,
			    u8 key_id)
{
	struct tcpao_ev ev = {
		.cmd = TCPAO_CMD_EVENT_KEY_ACTIVE,
		.key_id = key_id,
	};

	if (!tcpao_events_wanted(tn))
		return;
	strscpy(ev.keychain, keychain, sizeof(ev.keychain));
	tcpao_event_queue(tn, &ev);
}

void tcpao_ev_conn(struct tcpao_ev *ev, const struct tcpao_conn *c)
{
	ev->has_conn = true;
	ev->key = c->key;
	strscpy(ev->keychain, c->kc->name, sizeof(ev->keychain));
}

void tcpao_event_rnext(struct tcpao_conn *c, u8 what, int old, int new)
{
	struct tcpao_ev ev = {
		.cmd = TCPAO_CMD_EVENT_RNEXT,
		.what = what,
		.old = old,
		.new = new,
	};

	if (!tcpao_events_wanted(c->tn))
		return;
	tcpao_ev_conn(&ev, c);
	tcpao_event_queue(c->tn, &ev);
}

int tcpao_events_init(struct tcpao_net *tn)
{
	struct tcpao_events *evs = kzalloc(sizeof(*evs), GFP_KERNEL_ACCOUNT);

	if (!evs)
		return -ENOMEM;
	spin_lock_init(&evs->lock);
	INIT_WORK(&evs->work, tcpao_events_work);
	evs->tn = tn;
	tn->events = evs;
	return 0;
}

void tcpao_events_destroy(struct tcpao_net *tn)
{
	cancel_work_sync(&tn->events->work);
	kfree(tn->events);
	tn->events = NULL;
}
