using Cronos;
using Flows.Generator.Analyzers;

namespace Flows.Generator.Tests;

/// <summary>
/// FLOW056's cron check against Cronos itself: every expression here parses by <see cref="CronSyntax"/> exactly
/// when Cronos (read as Flows.Hosting reads it: six fields are seconds first) parses it.
/// </summary>
public sealed class CronSyntaxTests
{
    public static TheoryData<string> Accepted => new()
    {
        "* * * * *", "*/5 * * * *", "0 2 * * *", "0 0 1 1 *", "30 * * * * *", "0 0 12 * * ?", "? ? ? ? ?",
        "0-59/15 * * * *", "5/15 * * * *", "1,2,3 * * * *", "1-5,10-15/2 * * * *", "59 23 31 12 7",
        "0 0 * JAN *", "0 0 * jan-mar *", "0 0 * * MON-FRI", "0 0 * * sun", "0 0 * * 0,7", "0 0 * DEC SAT",
        "0 0 L * *", "0 0 L-3 * *", "0 0 LW * *", "0 0 L-30W * *", "0 0 15W * *", "0 0 1w * *", "0 0 l * *",
        "0 0 * * 5L", "0 0 * * FRIL", "0 0 * * 5#3", "0 0 * * MON#1", "0 0 * * 1#5",
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second",
        "@DAILY", "  @daily  ", "\t0\t0\t*\t*\t*\t", "  * * * * *  ", "50-10 * * * *", "* * * * 5-1", "*/59 * * * *",
        "* * * */12 *", "* * */31 * *", "* * * * */7", "00 01 * * *", "* * * * *\0garbage",
    };

    public static TheoryData<string> Refused => new()
    {
        "", " ", "* * * *", "* * * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * 32 * *", "* * * 0 *",
        "* * * 13 *", "* * * * 8", "*/0 * * * *", "*/60 * * * *", "* * * */13 *", "* * * * */8", "1- * * * *",
        "-1 * * * *", "1,,2 * * * *", "1, * * * *", "001 * * * *", "* * * * MONDAY", "* * * JANUARY *", "* * JAN * *",
        "* * * * 5#6", "* * * * 5#0", "* * L-31 * *", "* * 15W,1 * *", "* * * * 5L,1", "* * * * 1-5L", "L * * * *",
        "* * * L *", "@sometimes", "@daily *", "@every_hour", "@ daily", "* * * * * # ", "*/5/5 * * * *", "** * * * *",
        "* * * * *\n", "1-2-3 * * * *", "a * * * *", "* * * * 7#1#2", "* * W * *", "* * 1LW * *",
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void What_Cronos_accepts_passes(string cron)
    {
        Assert.True(Cronos(cron), $"the test's premise: Cronos accepts \"{cron}\"");
        Assert.Null(CronSyntax.Check(cron));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_Cronos_refuses_is_flagged(string cron)
    {
        Assert.False(Cronos(cron), $"the test's premise: Cronos refuses \"{cron}\"");
        Assert.NotNull(CronSyntax.Check(cron));
    }

    [Fact]
    public void Random_expressions_from_the_grammars_pieces_get_the_same_verdict_as_from_Cronos()
    {
        string[] pieces = ["*", "?", "/", "-", ",", "L", "W", "#", "0", "1", "5", "7", "12", "23", "31", "59", "60", "JAN", "dec", "MON", "fri", "l", "w", "@", "daily", "x"];
        var random = new Random(20260105);
        var disagreements = new List<string>();
        for (var n = 0; n < 20_000; n++)
        {
            var fields = random.Next(1, 8);
            var parts = new string[fields];
            for (var f = 0; f < fields; f++)
            {
                var length = random.Next(1, 5);
                parts[f] = string.Concat(Enumerable.Range(0, length).Select(_ => pieces[random.Next(pieces.Length)]));
            }

            var cron = string.Join(random.Next(4) == 0 ? "\t" : " ", parts);
            if (Cronos(cron) != (CronSyntax.Check(cron) is null))
            {
                disagreements.Add($"\"{cron}\": Cronos {(Cronos(cron) ? "accepts" : "refuses")}, the check says {CronSyntax.Check(cron) ?? "fine"}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(30)));
    }

    [Fact]
    public void The_check_says_which_field_is_wrong_and_what_it_needs()
    {
        Assert.Equal("the hours field needs a number from 0 to 23 (at character 3)", CronSyntax.Check("0 24 * * *"));
        Assert.StartsWith("it ends after the day of month field", CronSyntax.Check("0 0 1"));
        Assert.StartsWith("'@sometimes' is not a macro", CronSyntax.Check("@sometimes"));
    }

    /// <summary>Whether Cronos parses <paramref name="cron"/>, read as Flows.Hosting reads it.</summary>
    private static bool Cronos(string cron)
    {
        var format = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            CronExpression.Parse(cron, format);
            return true;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}
