using Flows.Graph;

namespace Flows.Runtime.Tests.Shell;

/// <summary>The category of a task's console records without a logger is its type's name, for overloads' ids too.</summary>
public sealed class TaskRecordCategoryTests
{
    [Theory]
    [InlineData("Etl.Pipeline.Parse", "Etl.Pipeline")]
    [InlineData("Flows.Shell.Run(string, System.Threading.CancellationToken)", "Flows.Shell")]
    [InlineData("Flows.Shell.Run(string, Flows.ShellOptions, System.Threading.CancellationToken)", "Flows.Shell")]
    [InlineData("Global", "Global")]
    public void The_category_is_the_type_part_of_the_id(string id, string category)
    {
        var task = new TaskDescriptor(id, "t", static (in TaskArguments _, CancellationToken _) => null);

        Assert.Equal(category, task.RecordCategory);
    }
}
