// The torchlean example programs (issue 6). Each takes the common flags of runtime/cli.h plus its
// own, prints what it does, and ends with the summary line "steps=N loss0=A loss1=B" (with
// accuracy for classifiers). Exit status: 0 success, 2 bad flags or data, 3 --cuda without CUDA.
#pragma once

namespace tl::examples {

int quickstart_tensors(int argc, char** argv);
int quickstart_autograd(int argc, char** argv);
int quickstart_mlp(int argc, char** argv);
int quickstart_minibatch_mlp(int argc, char** argv);
int quickstart_cnn(int argc, char** argv);
int mlp(int argc, char** argv);
int digits(int argc, char** argv);

}  // namespace tl::examples
