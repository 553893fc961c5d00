return await Flows.Worker.WorkerHost.RunAsync(args);
