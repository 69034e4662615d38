// SPDX-License-Identifier: GPL-2.0
/*
 * Event queue.  Events are born in the datapath (softirq or a sender's
 * context) where we must not allocate or sleep, so they are copied into a
 * small ring and sent to the multicast group by a work item.  When nobody
 * listens nothing is queued; when the ring is full the event is lost (and
 * counted in the next one's count where it is a failure).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/jiffies.h>

#include "events.h"

#define TCPAO_EV_RING	64

struct tcpao_events {
	spinlock_t lock;	/* head, tail, ring */
	unsigned int head;
	unsigned int tail;
	struct work_struct work;
	struct tcpao_net *tn;
	struct tcpao_ev ring[TCPAO_EV_RING];
};

static void tcpao_events_work(struct work_struct *work)
{
	struct tcpao_events *evs = container_of(work, struct tcpao_events,
						work);
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
		tcpao_nl_send_event(evs->tn->net, &ev);
	}
}

static void tcpao_event_queue(struct tcpao_net *tn, const struct tcpao_ev *ev)
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

	if (!tcpao_nl_has_listeners(tn->net))
		return;
	strscpy(ev.keychain, keychain, sizeof(ev.keychain));
	tcpao_event_queue(tn, &ev);
}

static void tcpao_ev_conn(struct tcpao_ev *ev, const struct tcpao_conn *c)
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

	if (!tcpao_nl_has_listeners(c->tn->net))
		return;
	tcpao_ev_conn(&ev, c);
	tcpao_event_queue(c->tn, &ev);
}

/*
 * At most one message per connection per second (per namespace, ten a
 * second, for segments of no connection), carrying how many drops it
 * stands for.
 */
void tcpao_event_fail(struct tcpao_net *tn, struct tcpao_conn *c,
		      const struct tcpao_flow *f, u8 cause, int keyid,
		      u8 diag)
{
	struct tcpao_ev ev = {
		.cmd = TCPAO_CMD_EVENT_AUTH_FAIL,
		.what = cause,
		.diag = diag,
		.new = keyid,
		.count = 1,
	};
	unsigned long now = jiffies;

	if (c) {
		unsigned long last = READ_ONCE(c->fail_ev_time);

		if (last && time_before(now, last + HZ)) {
			WRITE_ONCE(c->fail_ev_count, c->fail_ev_count + 1);
			return;
		}
		WRITE_ONCE(c->fail_ev_time, now ? now : 1);
		ev.count += READ_ONCE(c->fail_ev_count);
		WRITE_ONCE(c->fail_ev_count, 0);
	} else if (!__ratelimit(&tn->fail_rs)) {
		return;
	}
	if (!tcpao_nl_has_listeners(tn->net))
		return;
	if (c) {
		tcpao_ev_conn(&ev, c);
	} else {
		ev.has_conn = true;
		tcpao_flow_to_key(f, &ev.key);
	}
	tcpao_event_queue(tn, &ev);
}

int tcpao_events_init(struct tcpao_net *tn)
{
	struct tcpao_events *evs = kzalloc(sizeof(*evs), GFP_KERNEL);

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
