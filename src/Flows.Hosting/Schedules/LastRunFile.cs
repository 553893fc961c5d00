using System.Globalization;

namespace Flows.Hosting.Schedules;

/// <summary>
/// The time a schedule last ran, in a small text file of its own (<c>&lt;name&gt;.last-run</c>, an ISO 8601 time),
/// so that a host that starts again knows what it missed. Written by replacing the file, so that a crash
/// leaves the old time or the new one, never half of one.
/// </summary>
internal sealed class LastRunFile
{
    private readonly string _path;

    public LastRunFile(string directory, string scheduleName)
    {
        var safe = string.Concat(scheduleName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        _path = Path.Combine(directory, safe + ".last-run");
    }

    public DateTimeOffset? Read()
    {
        try
        {
            var text = File.ReadAllText(_path).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(DateTimeOffset time)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, time.ToString("O", CultureInfo.InvariantCulture));
        File.Move(temporary, _path, overwrite: true);
    }
}
