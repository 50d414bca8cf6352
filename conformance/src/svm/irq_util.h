/* SPDX-License-Identifier: MIT */
/*
 * Shared by the interrupt, virtual-interrupt and GIF scenarios: the
 * irq_guest payload (see guest/irq.S) and its counting handler.
 */
#ifndef CONF_SRC_IRQ_UTIL_H
#define CONF_SRC_IRQ_UTIL_H

#include "svm_util.h"

CONF_PAYLOAD_DECLARE(irq_guest);
CONF_PAYLOAD_LABEL(irq_guest, main1);
CONF_PAYLOAD_LABEL(irq_guest, cr8);
CONF_PAYLOAD_LABEL(irq_guest, handler);
CONF_PAYLOAD_LABEL(irq_guest, count);

/* How many times irq_guest's handler has run. */
static inline uint64_t irq_handler_runs(const struct conf_svm *s)
{
	return *(volatile uint64_t *)conf_svm_ptr(s, irq_guest_count);
}

#endif
