package io.github.ctlatent.testing;

import io.github.ctlatent.commands.ExplorerCommand;
import io.github.ctlatent.core.ExplorerException;
import io.github.ctlatent.core.Monitor;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.io.File;

/** Test-only command exercising every parameter kind the runner and the macro bridge convert. */
@Plugin(type = Command.class, menuPath = "Plugins>CT Latent Explorer>Testing>Echo Test", headless = true)
public class EchoTestCommand extends ExplorerCommand {

	@Parameter(description = "how many")
	private int count;

	@Parameter(required = false)
	private String name = "default name";

	@Parameter(required = false)
	private boolean shout;

	@Parameter(required = false, choices = {"cpu", "gpu", "auto"})
	private String device = "auto";

	@Parameter(required = false)
	private File folder;

	@Parameter(required = false)
	private double scale = 1.5;

	/** Steps to sleep 10 ms each, polling cancel: for Ctrl-C/cancel tests. */
	@Parameter(required = false)
	private int sleep_steps;

	@Parameter(type = ItemIO.OUTPUT)
	private String echo;

	@Override
	protected void execute(Monitor monitor) throws InterruptedException {
		if (count < 0) throw new ExplorerException("count must be >= 0, got " + count + ".");
		for (int i = 0; i < sleep_steps; i++) {
			monitor.checkCanceled();
			monitor.progress(i, sleep_steps, "sleeping");
			Thread.sleep(10);
		}
		String s = name.repeat(Math.max(1, count)) + "|" + device + "|" + folder + "|" + scale;
		echo = shout ? s.toUpperCase() : s;
	}
}
