return await Flows.Cluster.Hosting.WorkerCommand.RunAsync(args);
