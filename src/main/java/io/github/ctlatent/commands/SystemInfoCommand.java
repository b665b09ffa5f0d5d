package io.github.ctlatent.commands;

import io.github.ctlatent.engine.Engines;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import java.util.Map;

/** Prints what heavy work will run on: DJL/PyTorch versions, device and why, threads, offline mode, cache. */
@Plugin(type = Command.class, menuPath = Menus.ROOT + "Latent Explorer System Info", headless = true,
	description = "Show DJL/PyTorch versions, the device heavy work uses, threads, offline mode and cache folder.")
public class SystemInfoCommand implements Command {

	@Parameter(type = ItemIO.OUTPUT, label = "System info")
	private String info;

	@Override
	public void run() {
		StringBuilder sb = new StringBuilder();
		for (Map.Entry<String, String> e : Engines.systemInfo().entrySet())
			sb.append(String.format("%-22s %s%n", e.getKey() + ":", e.getValue()));
		info = sb.toString();
	}
}
