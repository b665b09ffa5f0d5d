// Trains a factor oracle on the phantom slice set written by prepare_slice_set.ijm (its factors.csv travels with
// it): a smoke-sized run. The shipped oracle (models/phantom-oracle) used iterations=3000 on 120 phantom patients;
// for your own annotations add labels=[/path/to/labels.csv] (columns index or volume+slice, then one per factor).
slices = getDirectory("temp") + "ct-latent-slices";
oracle = getDirectory("temp") + "ct-latent-oracle";
run("Train Factor Oracle", "slices=[" + slices + "] output=[" + oracle + "] iterations=20 batch_size=16 learning_rate=0.001 width=4 seed=1 device=cpu");
