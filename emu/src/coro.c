/* SPDX-License-Identifier: MIT */
/*
 * Coroutines: every model processor runs the hypervisor code on a host stack
 * of its own, and the scheduler switches between them on one host thread, so
 * there are no data races and a run is a pure function of its inputs.
 */
#include <stdlib.h>
#include <ucontext.h>

#include "emu_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define VX_ASAN 1
#else
#define VX_ASAN 0
#endif

struct emu_coro {
	ucontext_t ctx;
	void *stack;
	size_t stack_size;
	void (*entry)(void *);
	void *arg;
	bool finished;
	const void *asan_caller_bottom;
	size_t asan_caller_size;
};

static ucontext_t sched_ctx;
static struct emu_coro *running;
static void *sched_fake_stack;

static void asan_start(void **fake, const void *bottom, size_t size)
{
#if VX_ASAN
	__sanitizer_start_switch_fiber(fake, bottom, size);
#else
	(void)fake, (void)bottom, (void)size;
#endif
}

static void asan_finish(void *fake, const void **bottom, size_t *size)
{
#if VX_ASAN
	__sanitizer_finish_switch_fiber(fake, bottom, size);
#else
	(void)fake, (void)bottom, (void)size;
#endif
}

static void trampoline(void)
{
	struct emu_coro *volatile c = running;

	asan_finish(NULL, &c->asan_caller_bottom, &c->asan_caller_size);
	c->entry(c->arg);
	c->finished = true;
	/* Leaving for good: tell ASan this fiber's stack is gone. */
	asan_start(NULL, c->asan_caller_bottom, c->asan_caller_size);
	setcontext(&sched_ctx);
}

struct emu_coro *emu_coro_new(void (*entry)(void *), void *arg, size_t stack_size)
{
	/* getcontext() returns twice in principle: keep c in memory. */
	struct emu_coro *volatile c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->stack = malloc(stack_size);
	if (!c->stack) {
		free(c);
		return NULL;
	}
	c->stack_size = stack_size;
	c->entry = entry;
	c->arg = arg;
	getcontext(&c->ctx);
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = stack_size;
	c->ctx.uc_link = NULL;
	makecontext(&c->ctx, trampoline, 0);
	return c;
}

void emu_coro_free(struct emu_coro *c)
{
	if (!c)
		return;
	free(c->stack);
	free(c);
}

void emu_coro_enter(struct emu_coro *c)
{
	if (c->finished)
		return;
	running = c;
	asan_start(&sched_fake_stack, c->stack, c->stack_size);
	swapcontext(&sched_ctx, &c->ctx);
	asan_finish(sched_fake_stack, NULL, NULL);
	running = NULL;
}

void emu_coro_yield(void)
{
	struct emu_coro *c = running;
	void *fake = NULL;

	asan_start(&fake, c->asan_caller_bottom, c->asan_caller_size);
	swapcontext(&c->ctx, &sched_ctx);
	asan_finish(fake, &c->asan_caller_bottom, &c->asan_caller_size);
}

bool emu_coro_finished(const struct emu_coro *c)
{
	return c->finished;
}
