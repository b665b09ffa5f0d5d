package io.github.ctlatent.view;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Renders requests on one background daemon thread, latest wins: while one request renders, newer ones replace each
 * other and only the last is rendered next. A slider dragged faster than frames render thus keeps the picture at
 * most one frame behind, and the caller (the event thread) never waits.
 *
 * @param <S> what a request asks to render (a copy of the state, taken by the caller)
 * @param <F> what rendering it produces
 */
final class LatestWins<S, F> {

	private final Function<S, F> render;
	private final AtomicReference<S> pending = new AtomicReference<>();
	private final AtomicBoolean scheduled = new AtomicBoolean();
	private final List<Consumer<F>> listeners = new CopyOnWriteArrayList<>();
	private final List<Consumer<Throwable>> errorListeners = new CopyOnWriteArrayList<>();
	private final ExecutorService worker;

	LatestWins(String threadName, Function<S, F> render) {
		this.render = render;
		this.worker = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, threadName);
			t.setDaemon(true);
			return t;
		});
	}

	/** Called on the render thread with each result. */
	void onResult(Consumer<F> listener) {
		listeners.add(listener);
	}

	/** Called on the render thread when a render fails. */
	void onError(Consumer<Throwable> listener) {
		errorListeners.add(listener);
	}

	/** Queues {@code state}, replacing a request not yet started, and returns at once. */
	void request(S state) {
		pending.set(state);
		if (scheduled.compareAndSet(false, true)) worker.execute(this::drain);
	}

	private void drain() {
		scheduled.set(false); // first: a request arriving during this render schedules exactly one more drain
		S state = pending.getAndSet(null);
		if (state == null) return;
		try {
			F f = render.apply(state);
			for (Consumer<F> l : listeners) l.accept(f);
		} catch (RuntimeException e) {
			for (Consumer<Throwable> l : errorListeners) l.accept(e);
		}
	}

	/** Waits until every request made so far has been rendered. */
	boolean awaitIdle(long timeoutMs) throws InterruptedException {
		long end = System.currentTimeMillis() + timeoutMs;
		while (System.currentTimeMillis() < end) {
			Future<?> marker = worker.submit(() -> {});
			try {
				marker.get(Math.max(1, end - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
			} catch (ExecutionException | TimeoutException e) {
				return false;
			}
			if (!scheduled.get() && pending.get() == null) return true;
		}
		return false;
	}

	/** Stops the thread (interrupting a render) and waits up to {@code timeoutMs} for a render still running. */
	void stop(long timeoutMs) throws InterruptedException {
		worker.shutdownNow();
		if (timeoutMs > 0) worker.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS);
	}
}
