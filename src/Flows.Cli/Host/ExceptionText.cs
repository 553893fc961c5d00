namespace Flows.Cli.Host;

/// <summary>An exception in one line: the short name of the type the task threw (in whatever process) and the message's first line.</summary>
internal static class ExceptionText
{
    public static string Short(Exception error)
    {
        var type = error is RemoteTaskException remote ? remote.RemoteType : error.GetType().FullName ?? error.GetType().Name;
        var name = type[(type.LastIndexOfAny(['.', '+']) + 1)..];
        var message = error.Message.Split('\n')[0].Trim();
        return $"{name}: {message}";
    }
}
