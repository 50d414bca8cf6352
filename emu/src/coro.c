/* SPDX-License-Identifier: MIT */
/*
 * Coroutines: every model processor runs the hypervisor code on a host stack
 * of its own, and the scheduler switches between them on one host thread, so
 * there are no data races and a run is a pure function of its inputs. A
 * switch is a few instructions (coro_switch.S) and no system call.
 */
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define VX_ASAN 1
#else
#define VX_ASAN 0
#endif

void emu_coro_switch(void **save_sp, void *load_sp);

struct emu_coro {
	void *sp;                 /* saved stack pointer while not running */
	void *stack;
	size_t stack_size;
	void (*entry)(void *);
	void *arg;
	bool finished;
	const void *asan_caller_bottom;
	size_t asan_caller_size;
};

static void *sched_sp;
static struct emu_coro *running;
static void *sched_fake_stack;

/* The state a new stack starts from: MXCSR and x87 control at reset
 * (SDM vol. 1 §10.2.3.1, §8.1.5), the callee-saved registers zero. */
#define MXCSR_DEFAULT 0x1f80u
#define FPUCW_DEFAULT 0x037fu

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

static _Noreturn void trampoline(void)
{
	struct emu_coro *c = running;
	void *dead;

	asan_finish(NULL, &c->asan_caller_bottom, &c->asan_caller_size);
	c->entry(c->arg);
	c->finished = true;
	/* Leaving for good: tell ASan this fiber's stack is gone. */
	asan_start(NULL, c->asan_caller_bottom, c->asan_caller_size);
	emu_coro_switch(&dead, sched_sp);
	abort(); /* never resumed */
}

struct emu_coro *emu_coro_new(void (*entry)(void *), void *arg, size_t stack_size)
{
	struct emu_coro *c = calloc(1, sizeof(*c));
	uint64_t *sp;
	uint32_t ctl[2] = { MXCSR_DEFAULT, FPUCW_DEFAULT };

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
	/*
	 * The frame emu_coro_switch() pops, above it the address it returns
	 * to: the trampoline, entered as if called (RSP + 8 a multiple of 16)
	 * with a null return address above that.
	 */
	sp = (uint64_t *)(((uintptr_t)c->stack + stack_size) & ~(uintptr_t)15);
	*--sp = 0;
	*--sp = (uint64_t)(uintptr_t)trampoline;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	--sp;
	memcpy(sp, ctl, sizeof(ctl));
	c->sp = sp;
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
	emu_coro_switch(&sched_sp, c->sp);
	asan_finish(sched_fake_stack, NULL, NULL);
	running = NULL;
}

void emu_coro_yield(void)
{
	struct emu_coro *c = running;
	void *fake = NULL;

	asan_start(&fake, c->asan_caller_bottom, c->asan_caller_size);
	emu_coro_switch(&c->sp, sched_sp);
	asan_finish(fake, &c->asan_caller_bottom, &c->asan_caller_size);
}

bool emu_coro_finished(const struct emu_coro *c)
{
	return c->finished;
}
